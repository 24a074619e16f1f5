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

    /** An error the HTTP server raised itself, with a code named after its status. */
    static ApiError forStatus(int status, String message) {
        String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 408 -> "REQUEST_TIMEOUT";
            case 413 -> "BODY_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
            default -> status >= 500 ? "INTERNAL" : "HTTP_" + status;
        };
        return new ApiError(status, code, message);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BAD_REQUEST", message);
    }
}
