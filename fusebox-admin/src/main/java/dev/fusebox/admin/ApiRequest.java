package dev.fusebox.admin;

/**
 * An HTTP request as the handlers see it, independent of the server library.
 *
 * @param method the HTTP method, upper case
 * @param rawPath the path, still percent-encoded
 * @param rawQuery the query string, still percent-encoded, or null
 * @param authorization the Authorization header, or null
 * @param body the request body, or null when it was longer than {@link AdminServer#MAX_BODY_BYTES}
 */
record ApiRequest(String method, String rawPath, String rawQuery, String authorization, byte[] body) {

    /** Whether the body was longer than the limit (and not read). */
    boolean bodyTooLarge() {
        return body == null;
    }

    /** A decoded query parameter (the last one of that name), or null; a malformed query is a 400 {@link ApiError}. */
    String param(String name) {
        return Paths.query(rawQuery).get(name);
    }
}
