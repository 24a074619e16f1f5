package dev.fusebox.internal;

import dev.fusebox.StoreUnavailableException;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A breaker's state changes on their way into the store, and the audit records waiting to go
 * with them.
 *
 * <p>Each change carries a random change id. When a commit throws, the change may still have
 * landed (the connection broke after the database committed it); the breaker remembers it as
 * {@link Unconfirmed}, and when the stored row later shows that id ({@link #landedEarlier}) the
 * change counts as stored: its audit records are not written a second time and the version is
 * not spent twice. All methods taking a breaker are called holding its store lock.
 */
final class Commits {

    private Commits() {
    }

    /**
     * A commit that failed without saying whether it landed: the connection broke while it ran.
     *
     * @param changeId the random id the change was stored with
     * @param state the state the writer committed; null for an operator's change, not in effect here
     * @param audit the records committed with it
     */
    record Unconfirmed(long changeId, BreakerState state, List<AuditRecord> audit) {
    }

    /**
     * What an operator is told when the store did not take an action: nothing changed, or, when
     * the connection broke during the commit, that it was not confirmed.
     */
    static StoreUnavailableException refusal(BreakerCore core, String what, RuntimeException e) {
        String outcome = core.unconfirmed != null && core.unconfirmed.state() == null
                ? "; it has not taken effect here. The store did not confirm it: if it did take it, every"
                        + " instance (this one included) follows it within the change feed's delay"
                : "; nothing changed";
        return new StoreUnavailableException(core.key, "Not done: could not " + what + " " + core.key + outcome
                + ": " + BreakerLog.describe(e), e);
    }

    /** A new change id: random, never 0 (0 is "none"). */
    static long newChangeId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * Commits {@code change}, made for {@code state} (null for an operator's change not in effect
     * yet). When the store throws, the change is remembered as unconfirmed.
     */
    static CommitResult commit(BreakerStore store, BreakerCore core, BreakerState state, BreakerSnapshot change,
                               long base, List<AuditRecord> records) {
        try {
            CommitResult result = store.commit(change, base, records);
            if (result.committed()) {
                core.unconfirmed = null;
            }
            return result;
        } catch (RuntimeException e) {
            // The same change tried again (an operator's, alone after a try with earlier records):
            // either try may have landed, so the records of both are remembered.
            List<AuditRecord> tried = new ArrayList<>(records);
            Unconfirmed before = core.unconfirmed;
            if (before != null && before.changeId() == change.changeId()) {
                Set<AuditRecord> have = identities(records);
                before.audit().stream().filter(r -> !have.contains(r)).forEach(tried::add);
            }
            core.unconfirmed = new Unconfirmed(change.changeId(), state, List.copyOf(tried));
            throw e;
        }
    }

    /**
     * Whether {@code stored} is this breaker's own commit that failed without saying whether it
     * landed. If so it counts as committed: its audit records are taken out of those waiting
     * (and out of {@code taken}); a writer's change becomes the stored version, an operator's
     * change (not in effect here yet) is adopted.
     */
    static boolean landedEarlier(BreakerCore core, BreakerSnapshot stored, List<AuditRecord> taken) {
        Unconfirmed u = core.unconfirmed;
        if (u == null || stored.changeId() == 0 || stored.changeId() != u.changeId()
                || stored.version() <= core.storedVersion) {
            return false;
        }
        core.unconfirmed = null;
        Set<AuditRecord> landed = identities(u.audit());
        taken.removeIf(landed::contains);
        core.pendingAudit.removeIf(landed::contains);
        BreakerLog.warn("A change of '" + core.key + "' whose commit was not confirmed had been stored (version "
                + stored.version() + "); it counts as stored", null);
        if (u.state() == null) {
            RemoteChanges.adopt(core, stored, true);
            return true;
        }
        core.storedVersion = stored.version();
        if (core.current() == u.state()) {
            core.dropStateDirty(); // what it would write again is what landed
        } else {
            core.markStateDirty(); // changed again since: that change is stored next
            core.shared.store().requestFlush();
        }
        return true;
    }

    /**
     * The breaker's audit records not written yet, oldest first. They stay in its queue (and are
     * counted as pending) until {@link #written} takes them out.
     */
    static List<AuditRecord> waiting(BreakerCore core) {
        return new ArrayList<>(core.pendingAudit);
    }

    /** Takes records that were written out of the breaker's queue. */
    static void written(BreakerCore core, List<AuditRecord> records) {
        if (!records.isEmpty()) {
            core.pendingAudit.removeIf(identities(records)::contains);
        }
    }

    /** The records as a set by identity: two records with the same content are two records. */
    private static Set<AuditRecord> identities(List<AuditRecord> records) {
        Set<AuditRecord> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(records);
        return set;
    }
}
