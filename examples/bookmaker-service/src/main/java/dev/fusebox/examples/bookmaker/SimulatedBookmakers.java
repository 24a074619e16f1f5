package dev.fusebox.examples.bookmaker;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stands in for the bookmakers' APIs: {@code GET /simulated/{bookmaker}/markets} answers a list of
 * markets, or a 500 while {@code POST /simulated/{bookmaker}/outage} is in force
 * ({@code DELETE} ends it). In a real service these are other companies' servers.
 */
@RestController
@RequestMapping("/simulated/{bookmaker}")
class SimulatedBookmakers {

    private final Set<String> down = ConcurrentHashMap.newKeySet();

    @GetMapping("/markets")
    ResponseEntity<List<String>> markets(@PathVariable String bookmaker) {
        if (down.contains(bookmaker)) {
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).build();
        }
        return ResponseEntity.ok(List.of(bookmaker + ": NFL moneyline", bookmaker + ": NBA spread"));
    }

    @PostMapping("/outage")
    String startOutage(@PathVariable String bookmaker) {
        down.add(bookmaker);
        return bookmaker + " now answers 500\n";
    }

    @DeleteMapping("/outage")
    String endOutage(@PathVariable String bookmaker) {
        down.remove(bookmaker);
        return bookmaker + " answers again\n";
    }
}
