package dev.fusebox.admin;

import java.util.Map;

/**
 * An HTTP request as the handlers see it, independent of the server library.
 *
 * @param method the HTTP method, upper case
 * @param rawPath the path, still percent-encoded
 * @param query query parameters (decoded; the last value wins)
 * @param authorization the Authorization header, or null
 * @param body the request body (at most {@link AdminServer#MAX_BODY_BYTES} + 1 bytes)
 * @param bodyTooLarge whether the body was longer than the limit
 */
record ApiRequest(String method, String rawPath, Map<String, String> query, String authorization, byte[] body,
                  boolean bodyTooLarge) {
}
