package dev.fusebox.examples;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.LoadShedException;
import dev.fusebox.Presets;
import java.io.IOException;
import java.time.Duration;

/** The README's quick start. ReadmeTest checks that the README shows exactly this code. */
public final class QuickStart {

    private QuickStart() {
    }

    // README:begin
    static final CallContext DEEP_PROBE = CallContext.of("deepProbe", 50);

    static String fetchMarkets(String bookmaker) throws IOException {
        throw new IOException("500 Internal Server Error"); // your HTTP call here
    }

    public static void main(String[] args) throws Exception {
        try (CircuitBreakerRegistry breakers = CircuitBreakerRegistry.builder()
                .defaultConfig(BreakerConfig.builder()          // the defaults, spelled out:   
                        .failureThreshold(10)                     // 10 failures or 20 timeouts...
                        .failureWindow(Duration.ofSeconds(60))    // ...within 60 s trip the breaker,
                        .resetCooldown(Duration.ofSeconds(60))    // which an operator resets after 60 s
                        .build())
                .prefixPreset("db-read", Presets.READ)           // automatic recovery for reads
                .build()) {

            for (int i = 0; i < 12; i++) {
                try {
                    String markets = breakers.call("draftkings", () -> fetchMarkets("draftkings"), DEEP_PROBE);
                    System.out.println(markets);
                } catch (CircuitOpenException e) {
                    System.out.println("tripped, not calling: " + e.getMessage());
                } catch (LoadShedException e) {
                    System.out.println("system overloaded, try later");
                } catch (IOException e) {
                    System.out.println("upstream failed: " + e.getMessage());
                }
            }

            System.out.println(breakers.status("draftkings").orElseThrow());
            // An operator, later: breakers.reset("draftkings", "API team cleared incident", "alice", false);
        }
    }
    // README:end
}
