package dev.fusebox.spring.boot.app;

import dev.fusebox.CircuitOpenException;
import dev.fusebox.FuseboxException;
import dev.fusebox.spring.annotation.Breaker;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** A Spring bean whose methods are protected with {@link Breaker}, as an application writes them. */
public class MarketsClient {

    private final Upstream draftkings;
    private final Upstream fanduel;

    public MarketsClient(Upstream draftkings, Upstream fanduel) {
        this.draftkings = draftkings;
        this.fanduel = fanduel;
    }

    @Breaker(key = "draftkings", operation = "deepProbe", load = 50, fallbackMethod = "cachedMarkets")
    public String markets(String sport) throws IOException {
        return draftkings.markets(sport);
    }

    /** Answers only an open breaker: an upstream failure still reaches the caller. */
    String cachedMarkets(String sport, CircuitOpenException e) {
        return "cached " + sport + " (" + e.errorCode() + ")";
    }

    @Breaker(key = "${bookmaker.async-key}", operation = "odds", fallbackMethod = "laterOdds")
    public CompletableFuture<String> odds(String sport) {
        return fanduel.marketsAsync(sport);
    }

    /** Every refusal and every failure. */
    CompletableFuture<String> laterOdds(String sport, Exception e) {
        return CompletableFuture.completedFuture("later " + sport + " (" + e.getClass().getSimpleName() + ")");
    }

    /** A closer fallback for refusals: chosen over {@link #laterOdds(String, Exception)} for them. */
    CompletableFuture<String> laterOdds(String sport, FuseboxException e) {
        return CompletableFuture.completedFuture("refused " + sport + " (" + e.errorCode() + ")");
    }

    @Breaker(key = "draftkings-heavy", operation = "graphBuild", load = 500)
    public String graph(String sport) throws IOException {
        return draftkings.markets("graph " + sport);
    }

    /** Calls {@link #markets(String)} on itself: the proxy is not on this path. */
    public String marketsFromInside(String sport) throws IOException {
        return markets(sport);
    }
}
