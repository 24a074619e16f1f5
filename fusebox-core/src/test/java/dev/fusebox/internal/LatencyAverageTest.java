package dev.fusebox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyAverageTest {

    private static final long MS = 1_000_000;
    private final LatencyAverage average = new LatencyAverage();

    @Test
    void isUnknownBeforeTheFirstSample() {
        assertThat(average.averageMs()).isNull();
    }

    @Test
    void isThePlainMeanBeforeTheFirstFold() {
        average.record(100 * MS);
        average.record(200 * MS);

        assertThat(average.averageMs()).isEqualTo(150.0);
    }

    @Test
    void weighsEachNewSecondByOneFifth() {
        average.record(100 * MS);
        average.fold();
        average.record(200 * MS);
        average.record(200 * MS);
        average.fold();

        assertThat(average.averageMs()).isCloseTo(100 + 0.2 * 100, within(1e-9));
    }

    @Test
    void keepsTheAverageThroughSecondsWithoutSamples() {
        average.record(80 * MS);
        average.fold();
        average.fold();

        assertThat(average.averageMs()).isEqualTo(80.0);
    }

    @Test
    void restoresAStoredAverageOnlyWhenItKnowsNothingBetter() {
        average.restore(42);
        assertThat(average.averageMs()).isEqualTo(42.0);
        average.restore(7);
        assertThat(average.averageMs()).isEqualTo(42.0);
    }
}
