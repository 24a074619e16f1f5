package dev.fusebox.admin;

import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for what is refused before the API sees it (an unparsable URI or request
 * line, headers too large, an ambiguous path): the same {@code {"error": CODE, "message": ...}}
 * body as the API's own errors, for every method, instead of Jetty's HTML page.
 */
final class JsonErrorHandler implements Request.Handler {

    /** A qualified Java class name ({@code java.lang.IllegalArgumentException}), or an exception's simple name. */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(java|javax|jdk|sun|com|org|dev|io)\\.[a-z]+\\.|[a-z]Exception\\b");

    private final AdminApi api;

    JsonErrorHandler(AdminApi api) {
        this.api = api;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e) {
            status = e.getCode();
            response.setStatus(status);
            if (message == null) {
                message = e.getReason();
            }
        }
        boolean serverFault = status >= 500 && status != HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505;
        if (serverFault) {
            message = "the request failed; see the server log";
        } else if (message == null || message.isBlank() || message.equals(HttpStatus.getMessage(status))
                || JAVA_NAME.matcher(message).find()) {
            // Jetty's reason, unless it is empty or carries an exception's text
            message = status == HttpStatus.BAD_REQUEST_400
                    ? "the request cannot be parsed: a malformed URI, request line or header"
                    : HttpStatus.getMessage(status);
        }
        ApiHandler.answer(response, callback, api.error(ApiError.forStatus(status, message)), false);
        return true;
    }
}
