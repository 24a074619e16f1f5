package dev.fusebox.event;

/**
 * Receives breaker events. Override the methods you need; the others do nothing.
 *
 * <p>Listeners run synchronously on the thread that caused the event (the calling thread for
 * call events, the operator's thread for resets). Keep them short and never block. An exception
 * thrown by a listener is logged (once per listener and event type) and never reaches the caller
 * or the other listeners.
 *
 * <p>{@link #onSuccess} is special: only when at least one registered listener
 * {@linkplain #wantsSuccessEvents() wants success events} does a successful call build an event.
 * Otherwise the success path stays allocation-free.
 */
public interface BreakerListener {

    /**
     * Whether this listener wants {@link #onSuccess} calls. Default false: success events cost an
     * allocation on every call.
     */
    default boolean wantsSuccessEvents() {
        return false;
    }

    /** A call succeeded; only called when {@link #wantsSuccessEvents()} is true. */
    default void onSuccess(BreakerEvent.CallSucceeded event) {
    }

    /** A call failed hard. */
    default void onFailure(BreakerEvent.CallFailed event) {
    }

    /** A call timed out. */
    default void onTimeout(BreakerEvent.CallTimedOut event) {
    }

    /** An open breaker refused a call. */
    default void onRejected(BreakerEvent.CallRejected event) {
    }

    /** Load shedding refused a call. */
    default void onShed(BreakerEvent.CallShed event) {
    }

    /** The breaker tripped, on its own or by an operator. */
    default void onTrip(BreakerEvent.Tripped event) {
    }

    /** An operator reset the breaker. */
    default void onReset(BreakerEvent.Reset event) {
    }

    /** An operator reset was refused by the cooldown. */
    default void onResetDenied(BreakerEvent.ResetDenied event) {
    }

    /** The breaker changed state. */
    default void onStateChange(BreakerEvent.StateChanged event) {
    }
}
