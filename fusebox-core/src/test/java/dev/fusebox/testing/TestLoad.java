package dev.fusebox.testing;

import dev.fusebox.spi.LoadProbe;

/** A load probe whose value the test sets. */
public final class TestLoad implements LoadProbe {

    private volatile double load;

    public TestLoad set(double value) {
        load = value;
        return this;
    }

    @Override
    public double sample() {
        return load;
    }
}
