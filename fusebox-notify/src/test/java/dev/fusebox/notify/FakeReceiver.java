package dev.fusebox.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fusebox.testing.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Slack's and PagerDuty's endpoints on loopback: records every request body and
 * answers with scripted statuses (then 200 for Slack, 202 for PagerDuty). A gate can hold answers.
 * {@link #notifier} builds a notifier pointed at it.
 */
final class FakeReceiver implements AutoCloseable {

    static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdef012345";
    static final String SOURCE = "payments-7f9c";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Endpoint slack = new Endpoint(200);
    final Endpoint pagerDuty = new Endpoint(202);
    private final HttpServer server;

    FakeReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/services/T000/B000/XXXX", slack::handle);
        server.createContext("/v2/enqueue", pagerDuty::handle);
        server.start();
    }

    /** A notifier that posts and pages here, as source {@value #SOURCE}, with its timers on {@code clock}. */
    AlertNotifierBuilder notifier(ManualClock clock) {
        return AlertNotifier.builder()
                .slackWebhook(slackUrl())
                .pagerDutyRoutingKey(ROUTING_KEY)
                .pagerDutyUrl(pagerDutyUrl())
                .source(SOURCE)
                .scheduler(clock);
    }

    URI slackUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/XXXX");
    }

    URI pagerDutyUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue");
    }

    @Override
    public void close() {
        slack.open();
        pagerDuty.open();
        server.stop(0);
    }

    /** One endpoint: what it received, and what it answers. */
    static final class Endpoint {
        private final int okStatus;
        private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final Deque<Integer> script = new ConcurrentLinkedDeque<>();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch firstArrived = new CountDownLatch(1);

        Endpoint(int okStatus) {
            this.okStatus = okStatus;
        }

        /** The next answers, in order; afterwards the endpoint answers its success status. */
        void answer(Integer... statuses) {
            script.addAll(List.of(statuses));
        }

        /** Holds every answer until {@link #open()}. */
        void hold() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        /** The Slack texts received since the last drain, oldest first, removed from the record. */
        List<String> texts() {
            return drain().stream().map(m -> m.get("text").asText()).toList();
        }

        /** The bodies received so far, oldest first, removed from the record. */
        List<JsonNode> drain() {
            List<JsonNode> out = new ArrayList<>();
            received.drainTo(out);
            return out;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                received.add(JSON.readTree(exchange.getRequestBody()));
                firstArrived.countDown();
                gate.await(30, TimeUnit.SECONDS);
                Integer scripted = script.poll();
                int status = scripted == null ? okStatus : scripted;
                byte[] body = (status < 300 ? "{\"status\":\"success\"}" : "{\"status\":\"error\"}").getBytes();
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
