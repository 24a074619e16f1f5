package dev.fusebox.internal;

import dev.fusebox.RecoveryPolicy;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.Cause;
import dev.fusebox.event.Change;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;

/**
 * The one way a breaker's state changes. Whoever decides a change (a state, an operator action,
 * a change adopted from another instance, the store's state being loaded) hands it to
 * {@link #commit}, which swaps the state and then, always in this order:
 * <ol>
 *   <li><b>counts</b>: trip count, reset count and last reset, a cleared score on closing;
 *   <li><b>logs</b> the change's line;
 *   <li><b>audits</b>: an automatic change queues its audit record for the store writer;
 *   <li><b>persists</b>: an automatic change marks the breaker for the store writer;
 *   <li><b>publishes</b> the events: {@code StateChanged} when the state differs, plus
 *       {@code Tripped} or {@code Reset}.
 * </ol>
 * An operator action is stored (state and audit record in one transaction) before it reaches
 * this step, so that nothing takes effect that is not stored; a change adopted from the store is
 * neither audited nor written again. Steps 1 to 5 run only on the thread whose swap won.
 */
final class Transitions {

    /** Where a change comes from, which decides how it is stored. */
    enum Origin {
        /** Decided here by the breaker itself: audited and written behind. */
        LOCAL,
        /** An operator action, already stored with its audit record. */
        OPERATOR,
        /** Another instance's change read from the store: neither audited nor written. */
        REMOTE,
        /** The stored state, read at start or once the store became readable. */
        STORED
    }

    /** A change to commit: its cause, who and why, and where it comes from. */
    record Step(Cause cause, String user, String reason, Origin origin) {
    }

    private Transitions() {
    }

    /** A threshold was crossed: trip. Automatic recovery waits {@code openWait} at level 0. */
    static void tripOnFailures(BreakerCore core, ClosedState from, String reason) {
        Stamp now = core.now();
        boolean latched = core.config.recoveryPolicy() == RecoveryPolicy.MANUAL;
        TripInfo trip = new TripInfo(now, Change.SYSTEM_USER, reason, Cause.FAILURES, latched);
        OpenState open = new OpenState(core, trip, 0, now, now.plusMillis(core.openWaitMillis(0)));
        commit(core, from, open, new Step(Cause.FAILURES, Change.SYSTEM_USER, reason, Origin.LOCAL));
    }

    /** The trials failed or hung: open again, one backoff level higher. */
    static void reopen(BreakerCore core, HalfOpenState from, Cause cause, String reason) {
        Stamp now = core.now();
        int level = from.level + 1;
        OpenState open = new OpenState(core, from.trip, level, now, now.plusMillis(core.openWaitMillis(level)));
        commit(core, from, open, new Step(cause, Change.SYSTEM_USER, reason, Origin.LOCAL));
    }

    /** The open wait is over: let trial calls through. */
    static void halfOpen(BreakerCore core, OpenState from) {
        HalfOpenState half = new HalfOpenState(core, from.trip, from.level, core.now());
        half.openCause = from.cause;
        commit(core, from, half, new Step(Cause.OPEN_WAIT_OVER, Change.SYSTEM_USER, "open wait over", Origin.LOCAL));
    }

    /** Enough trials succeeded: close. */
    static void recover(BreakerCore core, HalfOpenState from, long latencyNanos) {
        core.lastTrialLatencyNanos = latencyNanos;
        commit(core, from, new ClosedState(core.now()), new Step(Cause.TRIALS_SUCCEEDED, Change.SYSTEM_USER,
                core.config.successThreshold() + " trial calls succeeded", Origin.LOCAL));
    }

    /**
     * Swaps {@code from} for {@code to} and carries the change out (see the class comment). A
     * {@link Origin#LOCAL} change happens only if the state is still {@code from}; any other
     * replaces whatever state is current, since it is already stored (or came from the store).
     *
     * @return the state that was replaced, or null when a local change lost the race
     */
    static BreakerState commit(BreakerCore core, BreakerState from, BreakerState to, Step step) {
        to.cause = step.cause(); // before the swap publishes it: a writer reads state and cause together
        BreakerState replaced = from;
        while (!core.swap(replaced, to)) {
            if (step.origin() == Origin.LOCAL) {
                return null;
            }
            replaced = core.current();
        }
        count(core, replaced, to, step);
        log(core, replaced, to, step);
        if (step.origin() == Origin.LOCAL) {
            // Marked for the writer before its audit record is queued, so that the writer takes the
            // two together and never stores the record without the change.
            persist(core, step);
            audit(core, to, step);
            if (core.retired) {
                core.shared.store().removed(core); // a call still running when it was removed: still written
            }
            core.shared.store().requestFlush();
        }
        publish(core, replaced, to, step);
        return replaced;
    }

    /** A reset refused by the cooldown (its audit record already stored): log and publish. */
    static void denied(BreakerCore core, String user, String reason, long remainingMillis) {
        BreakerLog.resetDenied(core.key, user, remainingMillis);
        if (core.shared.listeners().any()) {
            core.publish(new BreakerEvent.ResetDenied(core.key, core.now().millis(), user, reason, remainingMillis));
        }
    }

    private static void count(BreakerCore core, BreakerState replaced, BreakerState to, Step step) {
        BreakerStats stats = core.stats;
        boolean trip = isTrip(step.cause());
        if (trip && replaced.state == State.CLOSED && step.origin() != Origin.REMOTE
                && step.origin() != Origin.STORED) {
            stats.tripCount.incrementAndGet();
        }
        if (trip && step.origin() == Origin.LOCAL) {
            stats.keepTripEvidence(to.since.millis());
        }
        if (to.state == State.CLOSED && step.cause() != Cause.STATE_LOADED) {
            stats.clearWindows();
        }
        if (step.cause().isReset()) {
            stats.lastReset = new BreakerStats.ResetInfo(to.since.millis(), step.user(), step.reason());
            if (step.origin() == Origin.OPERATOR) {
                stats.resets.increment();
            }
        }
    }

    private static void log(BreakerCore core, BreakerState replaced, BreakerState to, Step step) {
        String key = core.key;
        boolean remote = step.origin() == Origin.REMOTE;
        switch (step.cause()) {
            case FAILURES -> {
                if (remote) {
                    BreakerLog.remoteTrip(key, step.user(), step.reason());
                } else if (step.origin() == Origin.LOCAL) {
                    BreakerLog.tripped(key, core.stats.score(core.clock().monotonicNanos()), core.stats.lastError,
                            waitMillis(core, to));
                }
            }
            case TRIAL_FAILED, TRIAL_TIMED_OUT -> {
                if (remote) {
                    BreakerLog.remoteTrip(key, step.user(), step.reason());
                } else if (step.origin() == Origin.LOCAL) {
                    BreakerLog.trialFailed(key, step.reason(), waitMillis(core, to));
                }
            }
            case OPEN_WAIT_OVER -> BreakerLog.halfOpen(key);
            case TRIALS_SUCCEEDED -> {
                if (remote) {
                    BreakerLog.remoteReset(key, null, null);
                } else if (step.origin() == Origin.LOCAL) {
                    long latency = core.lastTrialLatencyNanos;
                    BreakerLog.recovered(key, latency < 0 ? -1 : latency / 1_000_000, true);
                }
            }
            case OPERATOR_TRIP -> {
                if (remote) {
                    BreakerLog.remoteTrip(key, step.user(), step.reason());
                } else if (step.origin() == Origin.OPERATOR) {
                    BreakerLog.trippedByOperator(key, step.user(), step.reason());
                }
            }
            case OPERATOR_RESET, FORCED_RESET -> {
                if (remote) {
                    BreakerLog.remoteReset(key, step.user(), step.reason());
                } else if (step.origin() == Origin.OPERATOR) {
                    BreakerLog.reset(key, step.user(), step.reason(), step.cause() == Cause.FORCED_RESET);
                }
            }
            case STATE_UNKNOWN, STATE_LOADED -> BreakerLog.stateKnown(key, step.cause() == Cause.STATE_LOADED);
            default -> throw new IllegalStateException("no log line for " + step.cause());
        }
    }

    private static void audit(BreakerCore core, BreakerState to, Step step) {
        AuditAction action = switch (step.cause()) {
            case FAILURES, TRIAL_FAILED, TRIAL_TIMED_OUT -> AuditAction.AUTO_TRIP;
            case TRIALS_SUCCEEDED -> AuditAction.RECOVERED;
            default -> null;
        };
        if (action != null) {
            core.shared.store().auditLater(core, AuditRecord.of(core.key, action, step.user(), step.reason(),
                    to.since.millis()));
        }
    }

    private static void persist(BreakerCore core, Step step) {
        if (step.cause() == Cause.OPEN_WAIT_OVER || step.cause() == Cause.STATE_UNKNOWN) {
            return; // half-open is one instance probing, and an unknown state is not ours to store
        }
        core.markStateDirty();
    }

    private static void publish(BreakerCore core, BreakerState replaced, BreakerState to, Step step) {
        if (!core.shared.listeners().any()) {
            return;
        }
        long at = to.since.millis();
        Change change = new Change(step.cause(), step.user(), step.reason(), step.origin() == Origin.REMOTE,
                to.version);
        if (replaced.state != to.state) {
            core.publish(new BreakerEvent.StateChanged(core.key, at, replaced.state, to.state, change));
        }
        if (step.origin() == Origin.STORED) {
            return; // the trip or reset happened before: only the state this process now has is new
        }
        if (isTrip(step.cause())) {
            core.publish(new BreakerEvent.Tripped(core.key, at, change,
                    core.stats.score(core.clock().monotonicNanos()), core.stats.tripCount.get()));
        } else if (step.cause().isReset()) {
            core.publish(new BreakerEvent.Reset(core.key, at, change));
        }
    }

    private static boolean isTrip(Cause cause) {
        return cause == Cause.FAILURES || cause == Cause.TRIAL_FAILED || cause == Cause.TRIAL_TIMED_OUT
                || cause == Cause.OPERATOR_TRIP;
    }

    private static long waitMillis(BreakerCore core, BreakerState to) {
        return to instanceof OpenState open ? open.remainingMillis(open.since.nanos()) : -1;
    }
}
