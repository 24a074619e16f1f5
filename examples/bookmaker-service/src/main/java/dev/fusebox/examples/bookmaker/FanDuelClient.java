package dev.fusebox.examples.bookmaker;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * FanDuel, protected through the registry itself: the same breaker engine without the proxy, for
 * code that wants the call in plain sight. While the breaker is open the call is refused with
 * {@code CircuitOpenException}, which the controller answers with a 503.
 */
@Component
class FanDuelClient {

    private static final CallContext MARKETS = CallContext.of("markets", 20);

    private final CircuitBreakerRegistry breakers;
    private final Upstreams upstreams;

    FanDuelClient(CircuitBreakerRegistry breakers, Upstreams upstreams) {
        this.breakers = breakers;
        this.upstreams = upstreams;
    }

    Markets markets() {
        return new Markets("fanduel", breakers.breaker("fanduel").get(() -> upstreams.markets("fanduel"), MARKETS),
                "live");
    }
}
