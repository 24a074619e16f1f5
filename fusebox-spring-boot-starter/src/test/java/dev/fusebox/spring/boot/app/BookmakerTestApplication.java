package dev.fusebox.spring.boot.app;

import dev.fusebox.spring.boot.FuseboxRegistryCustomizer;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.TestLoad;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The application the tests start: two upstreams, a client protected with {@code @Breaker} and
 * a controller over it. Time moves only through the {@link ManualClock} bean, and the load is what
 * the {@link TestLoad} bean says.
 */
@SpringBootApplication
public class BookmakerTestApplication {

    @Bean
    public ManualClock clock() {
        return new ManualClock();
    }

    @Bean
    public TestLoad load() {
        return new TestLoad();
    }

    @Bean
    public FuseboxRegistryCustomizer manualTimeAndLoad(ManualClock clock, TestLoad load) {
        return builder -> builder.clock(clock).scheduler(clock).loadProbe(load);
    }

    /**
     * Stands in for the servlet container's authentication: the request's principal is the
     * {@code X-Operator} header. (With Spring Security, its own authentication is used instead.)
     */
    @Bean
    public OncePerRequestFilter operatorHeader() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String operator = request.getHeader("X-Operator");
                if (operator == null) {
                    chain.doFilter(request, response);
                    return;
                }
                chain.doFilter(new HttpServletRequestWrapper(request) {
                    @Override
                    public Principal getUserPrincipal() {
                        return () -> operator;
                    }
                }, response);
            }
        };
    }

    @Bean
    public Upstream draftkings() {
        return new Upstream();
    }

    @Bean
    public Upstream fanduel() {
        return new Upstream();
    }

    @Bean
    public MarketsClient marketsClient(@Qualifier("draftkings") Upstream draftkings,
                                       @Qualifier("fanduel") Upstream fanduel) {
        return new MarketsClient(draftkings, fanduel);
    }

    /** The service's own API, calling the protected client. */
    @RestController
    static class MarketsController {
        private final MarketsClient client;

        MarketsController(MarketsClient client) {
            this.client = client;
        }

        @GetMapping("/markets/{sport}")
        String markets(@PathVariable String sport) throws IOException {
            return client.markets(sport);
        }
    }
}
