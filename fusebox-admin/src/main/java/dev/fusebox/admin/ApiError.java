package dev.fusebox.admin;

/** A request that cannot be served: answered with {@code {"error": code, "message": ...}}. */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final transient Object extra;

    ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    /** @param extra more fields for the JSON body (a map), or null */
    ApiError(int status, String code, String message, Object extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = extra;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BAD_REQUEST", message);
    }
}
