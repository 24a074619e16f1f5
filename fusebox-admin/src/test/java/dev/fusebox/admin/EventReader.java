package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads {@code GET /api/events} as a client would, with the JDK's HTTP client: each frame becomes
 * an {@link Event} (name and JSON data), comment lines are counted as heartbeats. Waits are bounded
 * (20 s) and fail with what was seen.
 */
final class EventReader implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Event END = new Event("(end of stream)", null);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One frame: its event name and its data. */
    record Event(String name, JsonNode data) {
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();

    EventReader(int port, String pathAndQuery) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(PATIENCE).build();
        response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(this::read, "event-reader");
        reader.setDaemon(true);
        reader.start();
    }

    int status() {
        return response.statusCode();
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    private void read() {
        String name = null;
        String data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith(":")) {
                    events.add(new Event("(heartbeat)", null));
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && name != null) {
                    events.add(new Event(name, JSON.readTree(data)));
                    name = null;
                    data = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the stream broke: the same as its end for these tests
        }
        events.add(END);
    }

    /** The next event named {@code name}, skipping others (kept in {@link #seen}). */
    Event next(String name) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(e).as("an event '%s' within %s; seen %s", name, PATIENCE, names()).isNotNull();
            assertThat(e).as("an event '%s' before the stream ended; seen %s", name, names()).isNotSameAs(END);
            seen.add(e);
            if (e.name().equals(name)) {
                return e;
            }
        }
    }

    /** Waits for the stream to end; false if it had not within the bound. */
    boolean ends() throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Event e;
        while ((e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            if (e == END) {
                return true;
            }
            seen.add(e);
        }
        return false;
    }

    /** The names of the events read so far. */
    List<String> names() {
        return seen.stream().map(Event::name).toList();
    }

    @Override
    public void close() {
        response.body().close();
    }
}
