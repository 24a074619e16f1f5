package dev.fusebox.cli;

/** Ends a command with an exit code and one line for stderr. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit code: the command ran and answered "no" (is-tripped). */
    static final int NO = 1;
    /** Exit code: bad usage or input. */
    static final int USAGE = 2;
    /** Exit code: a reset refused by the cooldown. */
    static final int RESET_DENIED = 3;
    /** Exit code: the store or the admin API cannot be reached. */
    static final int UNREACHABLE = 4;

    final int exitCode;

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }
}
