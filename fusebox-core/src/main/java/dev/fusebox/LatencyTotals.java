package dev.fusebox;

/**
 * The successful calls a breaker timed for its latency figure, and their total latency, over its
 * life in this process. Two readings a while apart give the mean latency in between:
 * {@code (b.nanos() - a.nanos()) / (b.calls() - a.calls())}, as the console's per-second chart
 * takes it. Which calls are timed: every call while a breaker has no latency yet, then one in
 * {@link BreakerConfig#latencySampleEvery()}.
 *
 * @param calls successful calls timed
 * @param nanos their latency, summed, in nanoseconds
 */
public record LatencyTotals(long calls, long nanos) {
}
