package dev.fusebox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Regression: with a 24-bit bucket tag, values came back after 2^24 buckets (3.2 days at a 1 s window). */
class RollingCounterWrapTest {

    @Test
    void oldValuesDoNotComeBackWhenA24BitTagWouldHaveWrapped() {
        long window = 1_000_000_000L;
        RollingCounter counter = new RollingCounter(window);
        long bucket = window / 60;
        counter.add(0, 5_000);

        assertThat(counter.sum(2 * window)).isZero();
        assertThat(counter.sum((1L << 24) * bucket)).isZero();
    }
}
