package dev.fusebox.examples.bookmaker;

import dev.fusebox.CircuitOpenException;
import dev.fusebox.spring.annotation.Breaker;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * DraftKings, protected with {@code @Breaker}: 10 failures within 60 s trip the breaker
 * (application.yml), and while it is open the fallback answers with the last good markets instead
 * of calling DraftKings.
 */
@Component
class DraftKingsClient {

    private final Upstreams upstreams;
    private final AtomicReference<List<String>> lastGood = new AtomicReference<>(List.of());

    DraftKingsClient(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @Breaker(key = "draftkings", operation = "markets", load = 20, fallbackMethod = "cachedMarkets")
    public Markets markets() {
        List<String> markets = upstreams.markets("draftkings");
        lastGood.set(markets);
        return new Markets("draftkings", markets, "live");
    }

    /** Called instead of {@link #markets()} while the breaker is open; other failures reach the caller. */
    Markets cachedMarkets(CircuitOpenException tripped) {
        List<String> cached = lastGood.get();
        return new Markets("draftkings", cached, cached.isEmpty() ? "none" : "cache");
    }
}
