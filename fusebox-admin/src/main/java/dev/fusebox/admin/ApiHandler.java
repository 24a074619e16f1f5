package dev.fusebox.admin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Carries Jetty requests to the {@link AdminApi}. The body is read without blocking, so a slow
 * client holds a connection (until the {@link ConnectionGuard}'s request timeout) but never a
 * thread. The API runs in {@link Lanes}: what waits for the store apart from what is answered
 * from memory, so that health and metrics never queue behind a store outage.
 */
final class ApiHandler extends Handler.Abstract.NonBlocking {

    private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
    private static final HttpField BEARER = new PreEncodedHttpField(HttpHeader.WWW_AUTHENTICATE, "Bearer");

    private final AdminApi api;
    private final Lanes lanes;
    private final ConnectionGuard guard;
    private final AllowedHosts hosts;
    private final Console console;

    /** The console's parts: its files and its live events. */
    record Console(ConsoleFiles files, EventHub events) {
    }

    ApiHandler(AdminApi api, Lanes lanes, ConnectionGuard guard, AllowedHosts hosts, Console console) {
        this.api = api;
        this.lanes = lanes;
        this.guard = guard;
        this.hosts = hosts;
        this.console = console;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        Callback done = guardedBy(connection, callback);
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (!hosts.allows(host)) {
            send(connection, response, done, api.error(new ApiError(421, "HOST_NOT_ALLOWED", "this server does not"
                    + " answer for host '" + Paths.printable(host) + "'; names other than localhost and IP addresses"
                    + " are configured with allowedHosts (fusebox serve --allowed-host)")), true);
        } else if (console(request, response, done)) {
            return true;
        } else if (request.getLength() > AdminServer.MAX_BODY_BYTES) {
            dispatch(request, response, done, new byte[0], true);
        } else {
            new BodyReader(request, response, done).run();
        }
        return true;
    }

    /**
     * Answers the console's files and {@code GET /api/events}, both without a lane: files come from
     * memory and a stream's writes never block. False for anything else.
     */
    private boolean console(Request request, Response response, Callback done) {
        String path = request.getHttpURI().getPath();
        ConsoleFiles.File file = console.files().find(path);
        if (file == null && !path.equals("/api/events")) {
            return false;
        }
        Connection connection = request.getConnectionMetaData().getConnection();
        String method = request.getMethod();
        if (!method.equals("GET") && !(file != null && method.equals("HEAD"))) {
            guard.received(connection);
            send(connection, response, done, api.error(new ApiError(405, "METHOD_NOT_ALLOWED", "use GET")), true);
            return true;
        }
        guard.received(connection);
        if (file != null) {
            guard.sending(connection);
            ConsoleFiles.answer(request, response, done, file);
            return true;
        }
        try {
            // no deadline while the stream lasts: the guard sees an answer being worked out
            console.events().open(request, response, done);
        } catch (ApiError e) {
            send(connection, response, done, api.error(e), false);
        }
        return true;
    }

    /** {@code callback}, first telling the guard that the connection waits for its next request. */
    private Callback guardedBy(Connection connection, Callback callback) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                guard.waiting(connection);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                guard.waiting(connection);
                super.failed(x);
            }
        };
    }

    private void dispatch(Request request, Response response, Callback callback, byte[] body, boolean tooLarge) {
        Connection connection = request.getConnectionMetaData().getConnection();
        guard.received(connection);
        HttpURI uri = request.getHttpURI();
        ApiRequest apiRequest = new ApiRequest(request.getMethod().toUpperCase(Locale.ROOT), uri.getPath(),
                uri.getQuery(), request.getHeaders().get(HttpHeader.AUTHORIZATION), tooLarge ? null : body);
        Lanes.Lane lane = api.lane(apiRequest);
        try {
            lanes.run(lane, () -> {
                try {
                    send(connection, response, callback, api.handle(apiRequest), tooLarge);
                } catch (Throwable t) {
                    // An Error (the API answers RuntimeExceptions itself). Logged and answered here, not
                    // passed to Jetty, whose warning would carry the whole URI, query string included.
                    send(connection, response, callback, api.failed(apiRequest, t), true);
                    throw t;
                }
            });
        } catch (RejectedExecutionException busy) {
            send(connection, response, callback, api.error(new ApiError(503, "BUSY", lane.busy)), tooLarge);
        }
    }

    /** Writes {@code answer}, under the guard's deadline for sending. */
    private void send(Connection connection, Response response, Callback callback, ApiResponse answer,
                      boolean closeAfter) {
        guard.sending(connection);
        answer(response, callback, answer, closeAfter);
    }

    /** Writes {@code answer}: its status, content type, no caching, and the body. */
    static void answer(Response response, Callback callback, ApiResponse answer, boolean closeAfter) {
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        response.getHeaders().put(NO_STORE);
        Headers.secure(response.getHeaders());
        if (answer.status() == 401) {
            response.getHeaders().put(BEARER);
        }
        if (closeAfter) {
            // the rest of an oversized body is not read; the connection cannot be reused
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    /** Reads the body chunk by chunk as it arrives, up to the limit, then dispatches. */
    private final class BodyReader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        BodyReader(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    callback.failed(failure instanceof TimeoutException
                            ? new HttpException.RuntimeException(408, "the request body stopped arriving", failure)
                            : failure); // otherwise the client went away: there is no one to answer
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                boolean tooLarge = body.size() + bytes.remaining() > AdminServer.MAX_BODY_BYTES;
                if (!tooLarge) {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    body.writeBytes(copy);
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (tooLarge || last) {
                    dispatch(request, response, callback, tooLarge ? new byte[0] : body.toByteArray(), tooLarge);
                    return;
                }
            }
        }
    }
}
