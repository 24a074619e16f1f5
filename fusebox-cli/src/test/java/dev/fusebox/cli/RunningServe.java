package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code fusebox serve} on a thread of the test's JVM, on a free port, until closed. */
final class RunningServe implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (https?)://[^:]+:(\\d+)");

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Thread thread;
    final String scheme;
    final int port;

    private RunningServe(String[] args) throws InterruptedException {
        thread = new Thread(() -> FuseboxCli.run(new PrintWriter(out), new PrintWriter(err), args), "serve");
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Matcher m = LISTENING.matcher("");
        while (!m.reset(out.toString()).find()) {
            assertThat(thread.isAlive()).as("serve is running; it said: %s %s", out, err).isTrue();
            assertThat(System.nanoTime()).as("serve listens within 30 s").isLessThan(deadline);
            thread.join(10); // waits for the command's first line, not for time to pass
        }
        scheme = m.group(1);
        port = Integer.parseInt(m.group(2));
    }

    /** Starts {@code fusebox serve --db DB --port 0 --tokens TOKENS OPTIONS...}. */
    static RunningServe start(Path db, Path tokens, String... options) throws InterruptedException {
        String[] common = {"serve", "--db", db.toString(), "--port", "0", "--tokens", tokens.toString()};
        String[] args = new String[common.length + options.length];
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(options, 0, args, common.length, options.length);
        return new RunningServe(args);
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt(); // serve ends like on Ctrl-C: it closes the server and the store
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thread.isAlive()).isFalse();
    }
}
