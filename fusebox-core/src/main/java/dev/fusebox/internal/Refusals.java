package dev.fusebox.internal;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.LoadShedException;
import dev.fusebox.event.BreakerEvent;

/** A call refused before it ran: counted, logged in the next summary, published, and answered. */
final class Refusals {

    private Refusals() {
    }

    /** A call refused because the breaker is tripped (or all trial slots are in use). */
    static CircuitOpenException reject(BreakerCore core, BreakerState s, CallContext ctx, long remaining,
                                       CircuitOpenException rejection) {
        core.stats.rejections.increment();
        core.stats.operations.rejected(ctx.operation());
        core.stats.callLog.rejected(ctx);
        if (core.shared.listeners().any()) {
            core.publish(new BreakerEvent.CallRejected(core.key, core.clock().wallMillis(), ctx.operation(), s.state,
                    remaining));
        }
        return rejection;
    }

    /** A call refused because the system is loaded and the call is heavy. */
    static LoadShedException shed(BreakerCore core, BreakerState admittedUnder, CallContext ctx) {
        admittedUnder.released(core);
        LoadShedder shedder = core.shared.shedder();
        double load = shedder.load();
        core.stats.sheds.increment();
        core.stats.operations.shed(ctx.operation());
        core.stats.callLog.shed(ctx);
        if (core.shared.listeners().any()) {
            core.publish(new BreakerEvent.CallShed(core.key, core.clock().wallMillis(), ctx.operation(),
                    ctx.estimatedLoad(), load));
        }
        // Sheds of one operation under one load sample share an exception: it is immutable, and
        // the sample changes only when the background probe runs.
        LoadShedException last = core.stats.lastShed;
        if (last != null && last.load() == load && last.operationLoad() == ctx.estimatedLoad()
                && last.threshold() == shedder.threshold() && last.operation().equals(ctx.operation())) {
            return last;
        }
        LoadShedException fresh = new LoadShedException(core.key, ctx.operation(), ctx.estimatedLoad(), load,
                shedder.threshold());
        core.stats.lastShed = fresh;
        return fresh;
    }
}
