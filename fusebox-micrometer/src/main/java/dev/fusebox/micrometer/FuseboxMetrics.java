package dev.fusebox.micrometer;

import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.OperationRejections;
import dev.fusebox.event.RegistryListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes every breaker of a registry through Micrometer, under its classic Prometheus names:
 *
 * <table>
 *   <caption>Meters, with tag {@code bookmaker} (configurable) on each</caption>
 *   <tr><th>Prometheus name</th><th>type</th><th>value</th></tr>
 *   <tr><td>{@code circuit_breaker_tripped}</td><td>gauge</td><td>1 when open or half-open, else 0</td></tr>
 *   <tr><td>{@code circuit_breaker_state}</td><td>gauge</td><td>0 closed, 1 open, 2 half-open</td></tr>
 *   <tr><td>{@code circuit_breaker_failures_1m}</td><td>gauge</td><td>weighted failure score in the window</td></tr>
 *   <tr><td>{@code circuit_breaker_failure_threshold}</td><td>gauge</td><td>the score that trips it (for alerts
 *       on the ratio)</td></tr>
 *   <tr><td>{@code circuit_breaker_trip_count}</td><td>gauge</td><td>lifetime trips, survives restarts with a
 *       store ({@link Naming#PROMETHEUS}: left out, use {@code circuit_breaker_trips_total})</td></tr>
 *   <tr><td>{@code circuit_breaker_latency_ms}</td><td>gauge</td><td>average latency of sampled successful calls
 *       ({@link Naming#PROMETHEUS}: {@code circuit_breaker_latency_seconds})</td></tr>
 *   <tr><td>{@code circuit_breaker_trips_total}</td><td>counter</td><td>trips</td></tr>
 *   <tr><td>{@code circuit_breaker_resets_total}</td><td>counter</td><td>operator resets made here</td></tr>
 *   <tr><td>{@code circuit_breaker_rejected_total}</td><td>counter</td><td>refused calls, tags {@code operation},
 *       {@code reason} = {@code tripped} or {@code load_shed}</td></tr>
 *   <tr><td>{@code circuit_breaker_call_duration_seconds}</td><td>timer</td><td>sampled successful calls:
 *       count, sum, max and buckets at 0.1 s and 1 s ({@link Histogram#SLO_BUCKETS}, the default),
 *       or the full histogram for {@code histogram_quantile} with client-side p50, p95, p99
 *       ({@link Histogram#FULL})</td></tr>
 * </table>
 *
 * <p>Series per breaker, by default: 14 (6 gauges, 2 counters, and the timer's count, sum, max
 * and 3 buckets), plus 2 for each operation name that had calls refused. {@link Naming#PROMETHEUS}
 * publishes one gauge fewer. {@link Histogram#FULL} adds about 70 buckets and 3 percentiles per
 * breaker: with thousands of breakers, that is the difference between thousands and hundreds of
 * thousands of series. Per registry: {@code circuit_breaker_registry_breakers} and
 * {@code circuit_breaker_registry_max_breakers} (gauges), {@code circuit_breaker_registry_evicted_total}
 * and {@code circuit_breaker_registry_overflow_calls_total} (counters: breakers dropped, and calls
 * that ran without a breaker because the registry was full).
 *
 * <p>Two of the classic names break Prometheus naming conventions ({@code _ms} is an abbreviated
 * unit; a gauge ending in {@code _count} looks like part of a histogram), so
 * {@code promtool check metrics} reports them. They are the default because dashboards and alert
 * rules use them; {@link Naming#PROMETHEUS} publishes convention-clean names instead.
 *
 * <p>Breakers created later get their meters when they are created; removed and evicted ones lose
 * them. Gauges and counters read the breaker's own counters when scraped, so nothing is added to the call path; the duration timer receives only the calls
 * the breaker already times (one in {@code latencySampleEvery}, default 16).
 *
 * <pre>{@code
 * new FuseboxMetrics(breakers).bindTo(meterRegistry);
 * }</pre>
 *
 * Thread-safe.
 */
public final class FuseboxMetrics implements MeterBinder {

    /** The default name of the tag that holds the breaker key. */
    public static final String DEFAULT_KEY_TAG = "bookmaker";

    /** How call durations are published. */
    public enum Histogram {
        /**
         * The default: count, sum, max and buckets at 0.1 s and 1 s. Few series per breaker;
         * {@code histogram_quantile} gives a coarse estimate, the buckets a direct "share of calls
         * under 100 ms / 1 s".
         */
        SLO_BUCKETS,
        /** Micrometer's full percentile histogram (about 70 buckets) and client-side p50, p95, p99. */
        FULL
    }

    /** Which metric names to publish. */
    public enum Naming {
        /**
         * The classic names, the default: those the alert rules in {@code alerts/} and the Grafana
         * dashboard use, and the service Fusebox replaces published. Latency in milliseconds
         * ({@code circuit_breaker_latency_ms}) and a {@code circuit_breaker_trip_count} gauge, the
         * two names {@code promtool check metrics} reports.
         */
        CLASSIC,
        /** Names that pass {@code promtool check metrics}: latency in seconds, no trip-count gauge. */
        PROMETHEUS
    }

    private final CircuitBreakerRegistry breakers;
    private final String keyTag;
    private final Naming naming;
    private final Histogram histogram;
    private final Map<String, List<Meter>> metersByKey = new ConcurrentHashMap<>();

    /** Metrics for {@code breakers}, with the key in tag {@value #DEFAULT_KEY_TAG}. */
    public FuseboxMetrics(CircuitBreakerRegistry breakers) {
        this(breakers, DEFAULT_KEY_TAG, Naming.CLASSIC);
    }

    /**
     * @param keyTag the tag name for the breaker key: letters, digits and underscores, not
     *     starting with a digit
     * @param naming the classic metric names, or convention-clean ones
     */
    public FuseboxMetrics(CircuitBreakerRegistry breakers, String keyTag, Naming naming) {
        this(breakers, keyTag, naming, Histogram.SLO_BUCKETS);
    }

    /**
     * @param keyTag the tag name for the breaker key: letters, digits and underscores, not
     *     starting with a digit
     * @param naming the classic metric names, or convention-clean ones
     * @param histogram the call-duration buckets: a few (the default), or the full histogram
     */
    public FuseboxMetrics(CircuitBreakerRegistry breakers, String keyTag, Naming naming, Histogram histogram) {
        this.histogram = Objects.requireNonNull(histogram, "histogram");
        this.naming = Objects.requireNonNull(naming, "naming");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        Objects.requireNonNull(keyTag, "keyTag");
        if (!keyTag.matches("[a-zA-Z_][a-zA-Z0-9_]*") || keyTag.equals("operation") || keyTag.equals("reason")) {
            throw new IllegalArgumentException("keyTag must be a Prometheus label name other than operation"
                    + " and reason, but was '" + keyTag + "'");
        }
        this.keyTag = keyTag;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("circuit_breaker_registry_breakers", breakers, b -> b.capacity().breakers())
                .description("Breakers in the registry").register(registry);
        Gauge.builder("circuit_breaker_registry_max_breakers", breakers, b -> b.capacity().maxBreakers())
                .description("The most breakers that calls create").register(registry);
        FunctionCounter.builder("circuit_breaker_registry_evicted", breakers, b -> b.capacity().evicted())
                .description("Breakers dropped: idle, or to make room for a new key").register(registry);
        FunctionCounter.builder("circuit_breaker_registry_overflow_calls", breakers,
                        b -> b.capacity().overflowCalls())
                .description("Calls that ran without a breaker: the registry was full and none could be dropped")
                .register(registry);
        breakers.addRegistryListener(new RegistryListener() {
            @Override
            public void onBreakerAdded(CircuitBreaker breaker) {
                add(registry, breaker);
            }

            @Override
            public void onOperationAdded(CircuitBreaker breaker, String operation) {
                addOperation(registry, breaker, operation);
            }

            @Override
            public void onBreakerRemoved(CircuitBreaker breaker) {
                breaker.latencySink(null);
                List<Meter> meters = metersByKey.remove(breaker.key());
                if (meters != null) {
                    meters.forEach(registry::remove);
                }
            }
        });
    }

    private void add(MeterRegistry registry, CircuitBreaker breaker) {
        Tags tags = Tags.of(keyTag, breaker.key());
        List<Meter> meters = metersByKey.computeIfAbsent(breaker.key(), k -> new CopyOnWriteArrayList<>());
        meters.add(gauge(registry, "circuit_breaker_tripped", "1 when the breaker is tripped (open or half-open)",
                tags, breaker, b -> b.isTripped() ? 1 : 0));
        meters.add(gauge(registry, "circuit_breaker_state", "0 closed, 1 open, 2 half-open", tags, breaker,
                b -> b.state().code()));
        meters.add(gauge(registry, "circuit_breaker_failures_1m",
                "Weighted failure score in the failure window (timeouts 0.5, failures 1.0)", tags, breaker,
                CircuitBreaker::failureScore));
        meters.add(gauge(registry, "circuit_breaker_failure_threshold", "The failure score that trips the breaker",
                tags, breaker, b -> b.config().failureThreshold()));
        boolean classic = naming == Naming.CLASSIC;
        if (classic) {
            meters.add(gauge(registry, "circuit_breaker_trip_count", "Trips over the breaker's life", tags, breaker,
                    CircuitBreaker::tripCount));
        }
        double scale = classic ? 1 : 0.001;
        meters.add(gauge(registry, classic ? "circuit_breaker_latency_ms" : "circuit_breaker_latency_seconds",
                "Average latency of sampled successful calls", tags, breaker, b -> {
                    Double ms = b.averageLatencyMs();
                    return ms == null ? Double.NaN : ms * scale;
                }));
        meters.add(counter(registry, "circuit_breaker_trips", "Trips", tags, breaker,
                CircuitBreaker::tripCount));
        meters.add(counter(registry, "circuit_breaker_resets", "Operator resets made here", tags, breaker,
                CircuitBreaker::resets));
        Timer.Builder timer = Timer.builder("circuit_breaker_call_duration")
                .description("Duration of sampled successful calls")
                .tags(tags);
        if (histogram == Histogram.FULL) {
            timer.publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram();
        } else {
            timer.serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1));
        }
        Timer duration = timer.register(registry);
        meters.add(duration);
        breaker.latencySink(nanos -> duration.record(nanos, TimeUnit.NANOSECONDS));
        for (String operation : breaker.rejectionsByOperation().keySet()) {
            addOperation(registry, breaker, operation);
        }
    }

    private void addOperation(MeterRegistry registry, CircuitBreaker breaker, String operation) {
        List<Meter> meters = metersByKey.get(breaker.key());
        if (meters == null) {
            return;
        }
        for (String reason : new String[] {"tripped", "load_shed"}) {
            Tags tags = Tags.of(keyTag, breaker.key(), "operation", operation, "reason", reason);
            boolean tripped = reason.equals("tripped");
            meters.add(FunctionCounter.builder("circuit_breaker_rejected", breaker, b -> {
                        OperationRejections r = b.rejectionsByOperation().get(operation);
                        return r == null ? 0 : tripped ? r.tripped() : r.loadShed();
                    })
                    .description("Calls refused before they ran: tripped breaker or load shedding")
                    .tags(tags)
                    .register(registry));
        }
    }

    private static Gauge gauge(MeterRegistry registry, String name, String help, Tags tags, CircuitBreaker breaker,
                               ToDoubleFunction<CircuitBreaker> value) {
        return Gauge.builder(name, breaker, value).description(help).tags(tags).strongReference(true)
                .register(registry);
    }

    private static FunctionCounter counter(MeterRegistry registry, String name, String help, Tags tags,
                                           CircuitBreaker breaker, ToDoubleFunction<CircuitBreaker> value) {
        return FunctionCounter.builder(name, breaker, value).description(help).tags(tags).register(registry);
    }
}
