package dev.fusebox.spring.boot;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.RegistryBuilder;
import dev.fusebox.micrometer.FuseboxMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Everything under {@code fusebox.*}: the breakers' settings (defaults, per key, per key prefix),
 * load shedding, the store, metrics, health and the Actuator endpoint. Every default is the
 * library's own, listed in {@code docs/spring-boot.md}.
 *
 * <p>It validates itself: each breaker's settings are built into a {@link BreakerConfig} at
 * binding time, so a value out of range stops the application at start with the property and the
 * range, in the words {@link BreakerConfig.Builder} uses. Not thread-safe: bound once at start.
 */
@ConfigurationProperties(prefix = FuseboxProperties.PREFIX)
public class FuseboxProperties implements Validator {

    /** The prefix of every property. */
    public static final String PREFIX = "fusebox";

    /** Whether to configure a Fusebox registry at all. */
    private boolean enabled = true;

    /** Settings of every breaker that no entry under breakers or prefixes matches. */
    @NestedConfigurationProperty
    private final BreakerProperties defaults = new BreakerProperties();

    /** Settings of the breaker with exactly this key (write keys with dots as "[db.read]"). */
    private final Map<String, BreakerProperties> breakers = new LinkedHashMap<>();

    /** Settings of the breakers whose key starts with this prefix; the longest matching prefix wins. */
    private final Map<String, BreakerProperties> prefixes = new LinkedHashMap<>();

    /** The shortest time between two log lines about the rejections (or sheds) of one breaker, 1s to 1h. */
    private Duration logSummaryInterval = RegistryBuilder.DEFAULT_LOG_SUMMARY_INTERVAL;

    /** The most breakers that calls create (keys from the outside world), 1 to 10,000,000. */
    private int maxBreakers = RegistryBuilder.DEFAULT_MAX_BREAKERS;

    /** How long a breaker may go without calls before it is dropped (if closed and clean), 1s to 30d, or 0 to keep it. */
    private Duration idleTimeout = RegistryBuilder.DEFAULT_IDLE_TIMEOUT;

    private final LoadShedding loadShedding = new LoadShedding();

    @NestedConfigurationProperty
    private final StoreProperties store = new StoreProperties();

    private final Metrics metrics = new Metrics();

    private final Health health = new Health();

    private final Endpoint endpoint = new Endpoint();

    /** The configuration of breakers no entry matches. */
    public BreakerConfig defaultConfig() {
        return defaults.toConfig(BreakerConfig.defaults());
    }

    @Override
    public boolean supports(Class<?> type) {
        return FuseboxProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        FuseboxProperties p = (FuseboxProperties) target;
        BreakerConfig base = check(errors, "defaults", p.defaults, BreakerConfig.defaults());
        p.breakers.forEach((key, settings) -> check(errors, "breakers[" + key + "]", settings, base));
        p.prefixes.forEach((prefix, settings) -> check(errors, "prefixes[" + prefix + "]", settings, base));
        try {
            // A builder holds no resources until build(): its setters check the ranges.
            RegistryBuilder probe = CircuitBreakerRegistry.builder();
            p.loadShedding.applyTo(probe);
            probe.logSummaryInterval(p.logSummaryInterval).maxBreakers(p.maxBreakers).idleTimeout(p.idleTimeout);
        } catch (IllegalArgumentException e) {
            errors.reject("fusebox.invalid", PREFIX + ": " + e.getMessage());
        }
        p.store.validate(errors);
    }

    private static BreakerConfig check(Errors errors, String path, BreakerProperties settings, BreakerConfig base) {
        try {
            return settings.toConfig(base);
        } catch (IllegalArgumentException e) {
            errors.reject("fusebox.invalid", PREFIX + "." + path + ": " + e.getMessage());
            return base;
        }
    }

    public boolean isEnabled() { return enabled; }

    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    public BreakerProperties getDefaults() { return defaults; }

    public Map<String, BreakerProperties> getBreakers() { return breakers; }

    public Map<String, BreakerProperties> getPrefixes() { return prefixes; }

    public Duration getLogSummaryInterval() { return logSummaryInterval; }

    public void setLogSummaryInterval(Duration value) { this.logSummaryInterval = value; }

    public int getMaxBreakers() { return maxBreakers; }

    public void setMaxBreakers(int value) { this.maxBreakers = value; }

    public Duration getIdleTimeout() { return idleTimeout; }

    public void setIdleTimeout(Duration value) { this.idleTimeout = value; }

    public LoadShedding getLoadShedding() { return loadShedding; }

    public StoreProperties getStore() { return store; }

    public Metrics getMetrics() { return metrics; }

    public Health getHealth() { return health; }

    public Endpoint getEndpoint() { return endpoint; }

    /** Refusing heavy calls while the system is overloaded. */
    public static class LoadShedding {

        /** Whether heavy calls are refused while the sampled load is above the threshold. */
        private boolean enabled = true;

        /** Sampled load (0 to 1: 40% heap, 30% CPU, 30% calls in flight) above which heavy calls are shed. */
        private double threshold = RegistryBuilder.DEFAULT_LOAD_SHED_THRESHOLD;

        /** Estimated load (0 to 1000) above which a call is heavy and can be shed. */
        private int heavyCallLoad = RegistryBuilder.DEFAULT_HEAVY_CALL_LOAD;

        /** Calls in flight that count as full load, 1 to 10,000,000. */
        private int inFlightCapacity = RegistryBuilder.DEFAULT_IN_FLIGHT_CAPACITY;

        /** How often the load is sampled, 10ms to 1m. */
        private Duration sampleInterval = RegistryBuilder.DEFAULT_LOAD_SAMPLE_INTERVAL;

        /** Sets these values on {@code builder}; when off, no call is heavy and nothing is sampled. */
        void applyTo(RegistryBuilder builder) {
            builder.loadShedThreshold(threshold).inFlightCapacity(inFlightCapacity);
            if (enabled) {
                builder.heavyCallLoad(heavyCallLoad).loadSampleInterval(sampleInterval);
            } else {
                builder.heavyCallLoad(CallContext.MAX_LOAD).loadSampleInterval(Duration.ZERO);
            }
        }

        public boolean isEnabled() { return enabled; }

        public void setEnabled(boolean enabled) { this.enabled = enabled; }

        public double getThreshold() { return threshold; }

        public void setThreshold(double threshold) { this.threshold = threshold; }

        public int getHeavyCallLoad() { return heavyCallLoad; }

        public void setHeavyCallLoad(int heavyCallLoad) { this.heavyCallLoad = heavyCallLoad; }

        public int getInFlightCapacity() { return inFlightCapacity; }

        public void setInFlightCapacity(int inFlightCapacity) { this.inFlightCapacity = inFlightCapacity; }

        public Duration getSampleInterval() { return sampleInterval; }

        public void setSampleInterval(Duration sampleInterval) { this.sampleInterval = sampleInterval; }
    }

    /** The breakers' meters in the application's MeterRegistry. */
    public static class Metrics {

        /** Whether to publish the breakers' meters when Micrometer is present. */
        private boolean enabled = true;

        /** The tag that carries the breaker's key. */
        private String keyTag = FuseboxMetrics.DEFAULT_KEY_TAG;

        /** Meter names: classic (what the alert rules and dashboard use) or prometheus (convention-clean). */
        private FuseboxMetrics.Naming naming = FuseboxMetrics.Naming.CLASSIC;

        /** Call-duration buckets: slo-buckets (0.1 s and 1 s, few series) or full (about 70 buckets per breaker). */
        private FuseboxMetrics.Histogram histogram = FuseboxMetrics.Histogram.SLO_BUCKETS;

        public boolean isEnabled() { return enabled; }

        public void setEnabled(boolean enabled) { this.enabled = enabled; }

        public String getKeyTag() { return keyTag; }

        public void setKeyTag(String keyTag) { this.keyTag = keyTag; }

        public FuseboxMetrics.Naming getNaming() { return naming; }

        public void setNaming(FuseboxMetrics.Naming naming) { this.naming = naming; }

        public FuseboxMetrics.Histogram getHistogram() { return histogram; }

        public void setHistogram(FuseboxMetrics.Histogram histogram) { this.histogram = histogram; }
    }

    /** The Actuator health indicator ("fusebox"). */
    public static class Health {

        /**
         * Whether a tripped breaker makes the indicator DOWN. Off by default: a tripped upstream
         * is the breaker doing its job, and DOWN would take the whole service out of its load
         * balancer.
         */
        private boolean downWhenTripped;

        public boolean isDownWhenTripped() { return downWhenTripped; }

        public void setDownWhenTripped(boolean downWhenTripped) { this.downWhenTripped = downWhenTripped; }
    }

    /** The Actuator endpoint ("fusebox"). */
    public static class Endpoint {

        /**
         * The name trips and resets are audited under when the request has no authenticated
         * principal. Unset (the default), such a request is refused with 401.
         */
        private String anonymousUser;

        public String getAnonymousUser() { return anonymousUser; }

        public void setAnonymousUser(String anonymousUser) { this.anonymousUser = anonymousUser; }
    }
}
