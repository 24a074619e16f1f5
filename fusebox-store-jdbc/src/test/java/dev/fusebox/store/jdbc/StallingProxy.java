package dev.fusebox.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback that can go silent: while stalled it keeps every connection open
 * but passes no byte either way, like a network that drops packets or a peer that froze. New
 * connections are accepted and stall too. It can also cut a connection right after passing a
 * given request on ({@link #cutAfter}), so that the server does it but the client never hears
 * back. For fault tests only.
 */
final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean stalled;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicReference<byte[]> cutMarker =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger cuts = new java.util.concurrent.atomic.AtomicInteger();

    StallingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "stalling-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void stall() {
        stalled = true;
    }

    void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    /**
     * Once: the next time a client sends bytes containing {@code marker} (say a {@code COMMIT}),
     * they are passed on to the server, and then both sides of that connection are closed before
     * any answer comes back.
     */
    void cutAfter(String marker) {
        cutMarker.set(marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** How many connections {@link #cutAfter} cut. */
    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
                pump(client, upstream, true, cut);
                pump(upstream, client, false, cut);
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    /** Passes bytes on; {@code cut} is the connection's: once set, no answer reaches the client. */
    private void pump(Socket from, Socket to, boolean toServer, java.util.concurrent.atomic.AtomicBoolean cut) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    waitWhileStalled();
                    if (cut.get()) {
                        return; // the answer to the request that was cut: dropped
                    }
                    byte[] marker = cutMarker.get();
                    boolean cutHere = toServer && marker != null && contains(buffer, n, marker)
                            && cutMarker.compareAndSet(marker, null);
                    if (cutHere) {
                        cut.set(true); // before the server can answer
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    if (cutHere) {
                        cuts.incrementAndGet();
                        return; // the finally block closes both sides: the server got the request, the client no answer
                    }
                }
            } catch (IOException | InterruptedException e) {
                // a side closed: close the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "stalling-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void waitWhileStalled() throws InterruptedException {
        synchronized (gate) {
            while (stalled && !closed) {
                gate.wait();
            }
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        for (int i = 0; i + marker.length <= length; i++) {
            int j = 0;
            while (j < marker.length && buffer[i + j] == marker[j]) {
                j++;
            }
            if (j == marker.length) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        resume();
        server.close();
        sockets.forEach(StallingProxy::closeQuietly);
    }
}
