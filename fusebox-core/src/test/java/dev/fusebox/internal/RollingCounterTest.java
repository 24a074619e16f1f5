package dev.fusebox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RollingCounterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final RollingCounter counter = new RollingCounter(60 * SECOND);

    @Test
    void sumsValuesInsideTheWindow() {
        counter.add(0, 5);
        counter.add(30 * SECOND, 7);

        assertThat(counter.sum(59 * SECOND)).isEqualTo(12);
    }

    @Test
    void dropsABucketOnceItIsAWindowOld() {
        counter.add(SECOND / 2, 5);
        counter.add(10 * SECOND, 7);

        assertThat(counter.sum(59 * SECOND + SECOND / 2)).isEqualTo(12);
        assertThat(counter.sum(60 * SECOND)).isEqualTo(7);
        assertThat(counter.sum(71 * SECOND)).isZero();
    }

    @Test
    void reusesABucketForALaterEpochWithoutKeepingItsOldValue() {
        counter.add(0, 100);

        assertThat(counter.add(60 * SECOND, 1)).isEqualTo(1);
    }

    @Test
    void worksAcrossNegativeAndPositiveMonotonicTime() {
        // System.nanoTime() may be negative; consecutive buckets must stay distinct across zero
        for (long t = -30; t < 30; t++) {
            counter.add(t * SECOND, 1);
        }

        assertThat(counter.sum(29 * SECOND)).isEqualTo(60);
    }

    @Test
    void clearForgetsEverything() {
        counter.add(0, 9);
        counter.clear();

        assertThat(counter.sum(0)).isZero();
        assertThat(counter.add(0, 1)).isEqualTo(1);
    }

    @Test
    void ignoresTimeFarInThePastAfterIdlePeriods() {
        counter.add(0, 3);

        assertThat(counter.sum(TimeUnit.DAYS.toNanos(3))).isZero();
    }
}
