package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsAreTheOriginalServicesValues() {
        BreakerConfig c = BreakerConfig.defaults();

        assertThat(c.recoveryPolicy()).isEqualTo(RecoveryPolicy.MANUAL);
        assertThat(c.failureThreshold()).isEqualTo(10);
        assertThat(c.failureWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.failureWeight()).isEqualTo(1.0);
        assertThat(c.timeoutWeight()).isEqualTo(0.5);
        assertThat(c.successResetsFailures()).isTrue();
        assertThat(c.resetCooldown()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.callTimeout()).isNull();
        assertThat(c.timesEveryCall()).isFalse();
    }

    @Test
    void settersNameTheParameterTheValueAndTheRange() {
        assertThatThrownBy(() -> BreakerConfig.builder().failureThreshold(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureThreshold must be in [0 (exclusive), 1000000], but was -1.0");
        assertThatThrownBy(() -> BreakerConfig.builder().failureRateThreshold(1.5))
                .hasMessage("failureRateThreshold must be in [0, 1], but was 1.5");
        assertThatThrownBy(() -> BreakerConfig.builder().failureWindow(Duration.ofMillis(10)))
                .hasMessageStartingWith("failureWindow must be in [PT1S, PT1H], but was PT0.01S");
        assertThatThrownBy(() -> BreakerConfig.builder().latencySampleEvery(3))
                .hasMessage("latencySampleEvery must be a power of two, but was 3");
        assertThatThrownBy(() -> BreakerConfig.builder().failureThreshold(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BreakerConfig.builder().openWait(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("openWait");
    }

    @Test
    void buildChecksSettingsThatDependOnEachOther() {
        assertThatThrownBy(() -> BreakerConfig.builder().openWait(Duration.ofSeconds(30))
                .maxOpenWait(Duration.ofSeconds(10)).build())
                .hasMessage("maxOpenWait must be >= openWait (PT30S), but was PT10S");
        assertThatThrownBy(() -> BreakerConfig.builder().failureWeight(0).timeoutWeight(0).build())
                .hasMessageContaining("could never trip");
    }

    @Test
    void toBuilderCopiesEverySetting() {
        BreakerConfig original = BreakerConfig.builder().recoveryPolicy(RecoveryPolicy.AUTOMATIC)
                .failureThreshold(7).failureWindow(Duration.ofSeconds(30)).failureWeight(2).timeoutWeight(0.25)
                .successResetsFailures(false).failureRateThreshold(0.4).slowCallThreshold(Duration.ofMillis(800))
                .slowCallRateThreshold(0.7).minimumCalls(12).callTimeout(Duration.ofSeconds(2))
                .resetCooldown(Duration.ofSeconds(5)).openWait(Duration.ofSeconds(2)).maxOpenWait(Duration.ofSeconds(9))
                .backoffMultiplier(3).successThreshold(4).trialCalls(2).latencySampleEvery(4).build();

        BreakerConfig copy = original.toBuilder().build();

        assertThat(copy).usingRecursiveComparison().isEqualTo(original);
        assertThat(copy.toString()).isEqualTo(original.toString()).contains("AUTOMATIC", "threshold 7.0");
    }

    @Test
    void registryBuilderValidatesToo() {
        assertThatThrownBy(() -> CircuitBreakerRegistry.builder().loadShedThreshold(1.2))
                .hasMessage("loadShedThreshold must be in [0, 1], but was 1.2");
        assertThatThrownBy(() -> CircuitBreakerRegistry.builder().heavyCallLoad(-1))
                .hasMessage("heavyCallLoad must be in [0, 1000], but was -1");
        assertThatThrownBy(() -> CircuitBreakerRegistry.builder().loadSampleInterval(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CircuitBreakerRegistry.builder().preset("bad\tkey", Presets.READ))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stateCodesNeverChange() {
        assertThat(State.CLOSED.code()).isZero();
        assertThat(State.OPEN.code()).isEqualTo(1);
        assertThat(State.HALF_OPEN.code()).isEqualTo(2);
        assertThat(State.ofCode(2)).isEqualTo(State.HALF_OPEN);
        assertThatThrownBy(() -> State.ofCode(7)).hasMessageContaining("unknown state code 7");
    }
}
