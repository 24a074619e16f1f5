package dev.fusebox.cli;

import dev.fusebox.ActionResult;
import dev.fusebox.BreakerStatus;
import dev.fusebox.spi.AuditRecord;
import java.util.List;
import java.util.Optional;

/**
 * What a command needs, over a store ({@link DbBackend}) or an admin API ({@link ApiBackend}):
 * the same statuses and audit records either way, so that every output is the same.
 */
interface Backend extends AutoCloseable {

    List<BreakerStatus> statusAll();

    Optional<BreakerStatus> status(String key);

    /** @throws CliException with {@link CliException#UNREACHABLE} when the store did not take it */
    ActionResult trip(String key, String reason);

    /**
     * @throws CliException with {@link CliException#RESET_DENIED} inside the cooldown, with
     *     {@link CliException#UNREACHABLE} when the store did not take it
     */
    ActionResult reset(String key, String reason, boolean force);

    List<AuditRecord> audit(String key, int limit);

    @Override
    void close();
}
