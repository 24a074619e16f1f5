package dev.fusebox;

/**
 * Calls of one operation refused by one breaker.
 *
 * @param tripped refused because the breaker was open ({@code reason="tripped"})
 * @param loadShed refused by load shedding ({@code reason="load_shed"})
 */
public record OperationRejections(long tripped, long loadShed) {
}
