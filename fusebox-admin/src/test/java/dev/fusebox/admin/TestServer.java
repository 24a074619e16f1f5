package dev.fusebox.admin;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A registry on a manual clock and an admin server over it with alice's and bob's tokens, for one test. */
final class TestServer implements AutoCloseable {

    final ManualClock clock = new ManualClock();
    final CircuitBreakerRegistry breakers = Registries.manual(clock, new TestLoad()).build();
    final AdminServer server;

    TestServer(Path dir) throws IOException {
        this(dir, UnaryOperator.identity());
    }

    /** @param settings more builder settings */
    TestServer(Path dir, UnaryOperator<AdminServer.Builder> settings) throws IOException {
        server = settings.apply(AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir))).start();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        breakers.close();
    }
}
