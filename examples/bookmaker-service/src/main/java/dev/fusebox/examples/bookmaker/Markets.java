package dev.fusebox.examples.bookmaker;

import java.util.List;

/**
 * What the service answers for one bookmaker.
 *
 * @param source {@code live} from the upstream, {@code cache} from the last good answer while the
 *     breaker is open, {@code none} when there is nothing to show
 */
public record Markets(String bookmaker, List<String> markets, String source) {
}
