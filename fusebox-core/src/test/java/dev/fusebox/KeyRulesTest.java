package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A key must print as itself: one that looks like another key would be another breaker. */
class KeyRulesTest {

    private final CircuitBreakerRegistry registry = Registries.manual(new ManualClock(), new TestLoad(),
            BreakerConfig.defaults());

    @AfterEach
    void close() {
        registry.close();
    }

    @ParameterizedTest(name = "refuses {0}")
    @ValueSource(strings = {
        "draft\u200Bkings",   // zero-width space
        "draft\u200Dkings",   // zero-width joiner
        "\uFEFFdraftkings",   // byte-order mark
        "draft\u00ADkings",   // soft hyphen
        "\u202Esgnikftard",   // right-to-left override
        "draft\u2066kings",   // left-to-right isolate
        "draft\u00A0kings",   // no-break space
        "draft\u3000kings",   // ideographic space
        "draft\u3164kings",   // Hangul filler
        "draft\uFE0Fkings",   // variation selector
        "draft\u2028kings",   // line separator
        "draft\tkings",       // control
        " draftkings",        // leading space
        "draftkings ",        // trailing space
        "draft\uE000kings",   // private use
    })
    void refusesKeysThatDoNotPrintAsThemselves(String key) {
        assertThatThrownBy(() -> registry.breaker(key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key must not");
        assertThat(registry.breakers()).isEmpty();
    }

    @Test
    void namesTheRefusedCharacterByCodePoint() {
        assertThatThrownBy(() -> registry.breaker("draft\u200Bkings"))
                .hasMessageContaining("U+200B").hasMessageContaining("position 5").hasMessageContaining("draft<U+200B>kings");
    }

    @Test
    void refusesReasonsAndUsersThatHideOrReorderTextAndChangesNothing() {
        for (String reason : new String[] {"\u200B", "\u00A0", "ok \u202Egnp.exe", "line\nbreak", "\uD800",
                "a\u2066b", "\uFEFFx"}) {
            assertThatThrownBy(() -> registry.trip("draftkings", reason, "alice"))
                    .as("reason %s", reason).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("reason must");
        }
        assertThatThrownBy(() -> registry.trip("draftkings", "maintenance", "al\u200Bice"))
                .hasMessageContaining("user must not contain U+200B");
        assertThat(registry.isTripped("draftkings")).isFalse();
        assertThat(registry.audit("draftkings", 10)).isEmpty();
        assertThat(registry.find("draftkings")).as("bad input makes no breaker").isEmpty();

        registry.trip("draftkings", "  maintenance until 14:00, ticket #4411 ", "alice");
        assertThat(registry.audit("draftkings", 1).get(0).reason()).isEqualTo("maintenance until 14:00, ticket #4411");
    }

    @Test
    void acceptsReasonsAndUsersFromTheRealWorld() {
        // an emoji with its variation selector, Persian with a zero-width non-joiner, a no-break space,
        // a family emoji with joiners, Arabic (right to left by itself, no override needed)
        List<String> reasons = List.of("\u26A0\uFE0F provider down", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",
                "ticket\u00A0#4411", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 on call", "\u0635\u064A\u0627\u0646\u0629");
        for (String reason : reasons) {
            registry.trip("draftkings", reason, "ana\u200Dmaria");
            registry.reset("draftkings", reason, "ana\u200Dmaria", true);
        }
        assertThat(registry.audit("draftkings", 20)).extracting(r -> r.reason()).containsAll(reasons);
    }

    @Test
    void keysNamedDotOrDotDotWorkInTheLibrary() {
        assertThat(registry.breaker("..").key()).isEqualTo("..");
        assertThat(registry.breaker(".").key()).isEqualTo(".");
    }

    @Test
    void acceptsKeysFromTheRealWorld() {
        List<String> keys = List.of("draftkings", "api.example.com:8443", "eu/fanduel%50", "bet 365", "zürich-böse",
                "東京-odds", "db.read", "🎰-slots");
        keys.forEach(registry::breaker);

        assertThat(registry.breakers()).extracting(CircuitBreaker::key).containsExactlyInAnyOrderElementsOf(keys);
    }
}
