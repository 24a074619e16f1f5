package dev.fusebox.internal;

import dev.fusebox.CallContext;
import dev.fusebox.CallTimeoutException;
import dev.fusebox.FuseboxException;
import dev.fusebox.Outcome;
import dev.fusebox.spi.Scheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Calls with a per-call timeout, and asynchronous calls.
 *
 * <p>A timed synchronous call runs on the registry's timeout executor while the caller waits;
 * the registry's scheduler completes the wait with {@link CallTimeoutException} when the timeout
 * passes, and the running task is interrupted. Whichever finishes first decides the outcome,
 * which is recorded exactly once.
 */
final class TimedCalls {

    private TimedCalls() {
    }

    static <T> T call(BreakerCore core, BreakerState admittedUnder, Callable<T> callable, CallContext ctx)
            throws Exception {
        long start = core.clock().monotonicNanos();
        CompletableFuture<T> result = new CompletableFuture<>();
        // The waiting caller is the only dependant of this future, so the timer may complete it.
        Scheduler.Cancellable timer = startTimer(core, result, ctx, false);
        Future<?> task;
        try {
            task = core.shared.timers().executor().submit(() -> {
                try {
                    result.complete(callable.call());
                } catch (Throwable t) { // carried to the caller's thread, which classifies it
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            timer.cancel();
            core.onError(admittedUnder, e, start, ctx, Outcome.IGNORED);
            throw e;
        }
        try {
            T value = result.get();
            timer.cancel();
            core.onSuccess(admittedUnder, start, ctx);
            return value;
        } catch (ExecutionException e) {
            timer.cancel();
            Throwable cause = e.getCause();
            boolean timedOut = cause instanceof CallTimeoutException;
            if (timedOut) {
                task.cancel(true);
            }
            core.onError(admittedUnder, cause, start, ctx,
                    timedOut ? Outcome.TIMEOUT : cause instanceof Error ? Outcome.IGNORED : null);
            throw rethrowable(cause);
        } catch (InterruptedException e) {
            timer.cancel();
            task.cancel(true);
            core.onError(admittedUnder, e, start, ctx, Outcome.IGNORED);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    static <T> CompletableFuture<T> callAsync(BreakerCore core, Supplier<? extends CompletionStage<T>> supplier,
                                              CallContext ctx) {
        Object admitted = core.admit(ctx);
        if (admitted instanceof FuseboxException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
        if (admitted == BreakerCore.RETIRED) {
            return null; // the caller asks the registry for the key's breaker
        }
        BreakerState admittedUnder = (BreakerState) admitted;
        long start = core.config.callTimeout() != null ? core.clock().monotonicNanos() : core.startTimer();
        CompletableFuture<T> result = new CompletableFuture<>();
        // The caller's continuations depend on this future: on a timeout they must not run on the
        // timer thread, where a slow one would delay every other timeout.
        Scheduler.Cancellable timer = core.config.callTimeout() != null ? startTimer(core, result, ctx, true) : null;
        CompletionStage<T> stage;
        try {
            stage = supplier.get();
            if (stage == null) {
                throw new NullPointerException("the async call returned a null CompletionStage");
            }
        } catch (Exception e) {
            result.completeExceptionally(e);
            stage = null;
        } catch (Error e) {
            // Give back what admission took (a trial permit, the in-flight count) before it escapes.
            if (timer != null) {
                timer.cancel();
            }
            core.onError(admittedUnder, e, start, ctx, Outcome.IGNORED);
            throw e;
        }
        if (stage != null) {
            stage.whenComplete((value, error) -> {
                if (error == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(unwrap(error));
                }
            });
        }
        CompletionStage<T> upstream = stage;
        return result.whenComplete((value, error) -> {
            if (timer != null) {
                timer.cancel();
            }
            if (error == null) {
                core.onSuccess(admittedUnder, start, ctx);
                return;
            }
            Throwable cause = unwrap(error);
            boolean timedOut = cause instanceof CallTimeoutException;
            if (timedOut && upstream != null) {
                try {
                    upstream.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException ignored) {
                    // a stage that cannot be converted cannot be cancelled either; it is abandoned
                }
            }
            core.onError(admittedUnder, cause, start, ctx,
                    timedOut ? Outcome.TIMEOUT : cause instanceof Error ? Outcome.IGNORED : null);
        });
    }

    private static Scheduler.Cancellable startTimer(BreakerCore core, CompletableFuture<?> result, CallContext ctx,
                                                    boolean handOff) {
        return core.shared.timers().scheduler().schedule(() -> {
            CallTimeoutException timeout = new CallTimeoutException(core.key, ctx.operation(), core.config.callTimeout());
            if (!handOff) {
                result.completeExceptionally(timeout);
                return;
            }
            try {
                core.shared.timers().executor().execute(() -> result.completeExceptionally(timeout));
            } catch (RejectedExecutionException closed) {
                result.completeExceptionally(timeout);
            }
        }, core.config.callTimeout().toNanos());
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Exception rethrowable(Throwable cause) {
        if (cause instanceof Exception e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new ExecutionException(cause);
    }
}
