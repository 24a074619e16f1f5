package dev.fusebox.examples.bookmaker;

import java.util.List;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** HTTP calls to the bookmakers' APIs (here: the simulated ones on this server's own port). */
@Component
class Upstreams {

    private final RestClient http = RestClient.create();
    private final Environment environment;

    Upstreams(Environment environment) {
        this.environment = environment;
    }

    /** The bookmaker's markets; a 5xx or a network error throws. */
    List<String> markets(String bookmaker) {
        String port = environment.getProperty("local.server.port", "8080");
        return http.get().uri("http://localhost:" + port + "/simulated/{bookmaker}/markets", bookmaker)
                .retrieve().body(new ParameterizedTypeReference<List<String>>() { });
    }
}
