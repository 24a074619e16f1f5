package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.spring.boot.app.BookmakerTestApplication;
import dev.fusebox.spring.boot.support.Http;
import dev.fusebox.spring.boot.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /actuator/fusebox} behind Spring Security (its own surefire run, with Spring Security on
 * the class path): the audit trail names Spring Security's authenticated user.
 */
@SpringBootTest(classes = {BookmakerTestApplication.class, EndpointWithSpringSecurityTest.Security.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointWithSpringSecurityTest extends RunningApp {

    /** Operators (role OPS) may use the Actuator endpoints; HTTP basic, no CSRF for them. */
    @TestConfiguration
    static class Security {
        @Bean
        SecurityFilterChain actuator(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.requestMatchers("/actuator/**").hasRole("OPS")
                            .anyRequest().permitAll())
                    .httpBasic(Customizer.withDefaults())
                    .csrf(c -> c.ignoringRequestMatchers("/actuator/**"))
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("alice").password("{noop}s3cret").roles("OPS").build(),
                    User.withUsername("mallory").password("{noop}guess").roles("VIEWER").build());
        }
    }

    @Test
    void tripsUnderSpringSecuritysUser() {
        Http.Answer answer = http.post("/actuator/fusebox/draftkings/trip", "{\"reason\": \"odds feed stale\"}",
                Http.basic("alice", "s3cret"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().at("/audit/user").asText()).isEqualTo("alice");
        assertThat(registry.breaker("draftkings").status().trippedBy()).isEqualTo("alice");
    }

    @Test
    void readsWithCredentials() {
        registry.trip("draftkings", "maintenance", "alice");

        Http.Answer answer = http.get("/actuator/fusebox/draftkings", Http.basic("alice", "s3cret"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("trippedBy").asText()).isEqualTo("alice");
    }

    @Test
    void refusesAnonymousAndUnauthorisedCallers() {
        registry.breaker("draftkings");

        assertThat(http.get("/actuator/fusebox").status()).isEqualTo(401);
        assertThat(http.post("/actuator/fusebox/draftkings/trip", "{\"reason\": \"x\"}").status()).isEqualTo(401);
        assertThat(http.post("/actuator/fusebox/draftkings/trip", "{\"reason\": \"x\"}", Http.basic("mallory", "guess"))
                .status()).isEqualTo(403);
        assertThat(registry.isTripped("draftkings")).isFalse();
    }

    @Test
    void theHeaderPrincipalIsNotTrustedBySpringSecurity() {
        Http.Answer answer = http.post("/actuator/fusebox/draftkings/trip", "{\"reason\": \"x\"}", "X-Operator", "carol");

        assertThat(answer.status()).isEqualTo(401);
    }
}
