package dev.fusebox.examples.bookmaker;

import dev.fusebox.CircuitOpenException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;

/** The service's API: {@code GET /markets/draftkings}, {@code GET /markets/fanduel}. */
@RestController
class MarketsController {

    private final DraftKingsClient draftkings;
    private final FanDuelClient fanduel;

    MarketsController(DraftKingsClient draftkings, FanDuelClient fanduel) {
        this.draftkings = draftkings;
        this.fanduel = fanduel;
    }

    @GetMapping("/markets/{bookmaker}")
    ResponseEntity<?> markets(@PathVariable String bookmaker) {
        return switch (bookmaker) {
            case "draftkings" -> ResponseEntity.ok(draftkings.markets());
            case "fanduel" -> ResponseEntity.ok(fanduel.markets());
            default -> ResponseEntity.notFound().build();
        };
    }

    /** The upstream failed (the breaker counted it). */
    @ExceptionHandler(RestClientException.class)
    ResponseEntity<Map<String, String>> upstreamFailed(RestClientException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", "UPSTREAM_ERROR",
                "message", String.valueOf(e.getMessage())));
    }

    /** The breaker is open: the upstream was not called. */
    @ExceptionHandler(CircuitOpenException.class)
    ResponseEntity<Map<String, String>> tripped(CircuitOpenException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.errorCode().name(),
                "message", e.getMessage()));
    }
}
