package dev.fusebox.admin;

import java.nio.charset.StandardCharsets;

/**
 * What a handler answers.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type header
 * @param body the body
 */
record ApiResponse(int status, String contentType, byte[] body) {

    static final String JSON = "application/json; charset=utf-8";

    static ApiResponse json(int status, String json) {
        return new ApiResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }
}
