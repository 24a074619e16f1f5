package dev.fusebox.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow clients: connections that each send the start of a request, then one header line every
 * {@code interval}, and never finish it. A connection the server closes is opened again, up to a
 * budget, as an attacker would. One thread drives them all without blocking, so a connect the
 * server leaves in its accept queue does not hold up the others.
 */
final class Dribblers implements AutoCloseable {

    private static final byte[] START = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int port;
    private final List<InetAddress> from;
    private final Duration interval;
    private final SocketChannel[] slots;
    private final Selector selector;
    private final Thread thread;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong closedByServer = new AtomicLong();
    private long reconnectBudget;
    private volatile boolean stop;

    /**
     * @param count connections kept open (or being opened)
     * @param from source addresses, taken in turn
     * @param reconnects how many times, in all, a closed connection may be opened again
     */
    Dribblers(int port, int count, List<InetAddress> from, Duration interval, long reconnects) throws IOException {
        this.port = port;
        this.from = from;
        this.interval = interval;
        this.slots = new SocketChannel[count];
        this.reconnectBudget = reconnects;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "dribblers");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until every connection has been opened (or tried) and then fed {@code n} times. */
    synchronized void awaitRounds(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (rounds.get() < n + 1) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the dribblers did not run " + n + " rounds in " + timeout);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Connections that completed their connect, reopened ones included. */
    long connected() {
        return connected.get();
    }

    /** Connections the server closed (or reset). */
    long closedByServer() {
        return closedByServer.get();
    }

    private void run() {
        long next = System.nanoTime();
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (!stop) {
            try {
                long now = System.nanoTime();
                if (now - next >= 0) {
                    round();
                    synchronized (this) {
                        rounds.incrementAndGet();
                        notifyAll();
                    }
                    next = now + interval.toNanos();
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    try {
                        if (key.isConnectable() && slots[i].finishConnect()) {
                            connected.incrementAndGet();
                            slots[i].write(ByteBuffer.wrap(START));
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            sink.clear();
                            if (slots[i].read(sink) < 0) {
                                drop(i);
                            }
                        }
                    } catch (IOException e) {
                        drop(i);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Opens what is not open, and sends one more header line on every open connection. */
    private void round() {
        for (int i = 0; i < slots.length; i++) {
            SocketChannel c = slots[i];
            if (c == null) {
                if (rounds.get() > 0 && reconnectBudget-- <= 0) {
                    continue;
                }
                open(i);
            } else if (c.isConnected()) {
                try {
                    c.write(ByteBuffer.wrap(("X-Slow-" + rounds.get() + ": x\r\n").getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    drop(i);
                }
            }
        }
    }

    private void open(int i) {
        try {
            SocketChannel c = SocketChannel.open();
            c.configureBlocking(false);
            c.bind(new InetSocketAddress(from.get(i % from.size()), 0));
            slots[i] = c;
            c.connect(new InetSocketAddress(RawHttp.LOOPBACK, port));
            c.register(selector, SelectionKey.OP_CONNECT, i);
        } catch (IOException e) {
            drop(i);
        }
    }

    private void drop(int i) {
        if (slots[i] != null) {
            closedByServer.incrementAndGet();
            try {
                slots[i].close();
            } catch (IOException ignored) {
                // already gone
            }
            slots[i] = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop = true;
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        for (SocketChannel c : slots) {
            if (c != null) {
                c.close();
            }
        }
        selector.close();
    }
}
