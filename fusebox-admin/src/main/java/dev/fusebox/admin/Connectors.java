package dev.fusebox.admin;

import java.time.Duration;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http.UriCompliance.Violation;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The admin server's Jetty connector. */
final class Connectors {

    /** Connections the kernel queues while the acceptor catches up; nginx's default on Linux. */
    private static final int ACCEPT_QUEUE = 511;

    private Connectors() {
    }

    /** HTTP/1.1, over TLS when {@code tls} is not null, on {@code bind}:{@code port}. */
    static ServerConnector http11(Server server, SslContextFactory.Server tls, String bind, int port,
                                  Duration idleTimeout) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // The API splits the raw path and decodes each segment itself, so an encoded '/' or '%' is
        // part of a key, not an ambiguity; control characters reach it to be refused as INVALID_KEY.
        http.setUriCompliance(UriCompliance.DEFAULT.with("fusebox-admin", Violation.AMBIGUOUS_PATH_SEPARATOR,
                Violation.AMBIGUOUS_PATH_ENCODING, Violation.AMBIGUOUS_PATH_SEGMENT,
                Violation.AMBIGUOUS_EMPTY_SEGMENT, Violation.SUSPICIOUS_PATH_CHARACTERS));
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        ServerConnector connector = tls == null ? new ServerConnector(server, 1, 1, http11)
                : new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, http11.getProtocol()), http11);
        connector.setHost(bind);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        return connector;
    }
}
