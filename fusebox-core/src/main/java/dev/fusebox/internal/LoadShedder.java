package dev.fusebox.internal;

import dev.fusebox.spi.LoadProbe;

/**
 * Holds the last sampled system load so that the call path pays one volatile read, and only
 * for heavy calls. {@link #sample()} is called by the registry's background sampler. Thread-safe.
 */
public final class LoadShedder {

    private final LoadProbe probe;
    private final double threshold;
    private final int heavyCallLoad;
    private volatile double load;
    private boolean probeFailureLogged;

    public LoadShedder(LoadProbe probe, double threshold, int heavyCallLoad) {
        this.probe = probe;
        this.threshold = threshold;
        this.heavyCallLoad = heavyCallLoad;
    }

    /** Whether a call with this estimated load would be shed now. */
    public boolean shouldShed(int estimatedLoad) {
        return estimatedLoad > heavyCallLoad && load > threshold;
    }

    /** Takes a new sample from the probe; a probe that throws or answers NaN leaves the load as it was. */
    public synchronized double sample() {
        try {
            double sampled = probe.sample();
            if (!Double.isNaN(sampled)) {
                load = Math.max(0, Math.min(1, sampled));
                probeFailureLogged = false;
            }
        } catch (Exception e) {
            if (!probeFailureLogged) {
                probeFailureLogged = true;
                BreakerLog.warn("Load probe " + probe.getClass().getName() + " failed; keeping load " + load, e);
            }
        }
        return load;
    }

    public double load() {
        return load;
    }

    public double threshold() {
        return threshold;
    }

    public int heavyCallLoad() {
        return heavyCallLoad;
    }
}
