package dev.fusebox.cli;

import java.util.List;

/** What the commands print, the same whether it came from a store or from an admin API. */
final class Views {

    private Views() {
    }

    /** One breaker. Times in epoch ms, 0 for never. */
    record Status(String key, String state, boolean tripped, double failures, double failureThreshold,
                  long tripCount, String lastError, String trippedBy, String tripReason, long trippedAt,
                  String lastResetBy, String lastResetReason, long lastResetAt, Double avgLatencyMs,
                  long calls, long rejections, long sheds) {
    }

    /** One audit row. */
    record Audit(long id, String key, String action, String reason, String user, long atMillis) {
    }

    /** The answer to a trip or reset. */
    record Action(Status status, boolean durable) {
    }

    /** The operations a command needs, over a store or an admin API. */
    interface Backend extends AutoCloseable {
        List<Status> statusAll();

        java.util.Optional<Status> status(String key);

        Action trip(String key, String reason);

        /** @throws CliException with {@link CliException#RESET_DENIED} inside the cooldown */
        Action reset(String key, String reason, boolean force);

        List<Audit> audit(String key, int limit);

        @Override
        void close();
    }
}
