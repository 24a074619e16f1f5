package dev.fusebox.spi;

/**
 * Measures how loaded the system is, from 0 (idle) to 1 (saturated). Called by the registry's
 * background sampler, never on the call path; the call path reads the last sample.
 *
 * <p>Implementations must be thread-safe. A probe that throws or returns NaN is logged and its
 * sample ignored (the previous load stays in force).
 */
@FunctionalInterface
public interface LoadProbe {

    /** The current load, 0 to 1 (values outside are clamped). */
    double sample();
}
