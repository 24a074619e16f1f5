package dev.fusebox.examples.bookmaker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A small bookmaker service: {@code GET /markets/{bookmaker}} answers from two upstream bookmaker
 * APIs, each behind a Fusebox breaker. The upstreams are simulated by this same process
 * ({@link SimulatedBookmakers}), so that an outage is one {@code curl} away.
 */
@SpringBootApplication
public class BookmakerServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(BookmakerServiceApplication.class, args);
    }

    /**
     * Operators sign in (HTTP basic, the user in application.yml) to use the Actuator endpoints;
     * trips and resets are audited under their name. Health and the service's API are open.
     */
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/**", "/actuator/prometheus").permitAll()
                        .requestMatchers("/actuator/**").hasRole("OPS")
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.disable()) // an API for curl and scripts, no browser sessions
                .build();
    }
}
