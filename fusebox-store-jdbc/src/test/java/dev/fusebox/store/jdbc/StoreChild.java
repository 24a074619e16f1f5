package dev.fusebox.store.jdbc;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The other JVM in the multi-process tests.
 *
 * <ul>
 *   <li>{@code operate FILE}: trips and resets k0..k9 in turn over SQLite, printing
 *       {@code ACK n} after operation n returned (was acknowledged), until killed.
 *   <li>{@code follow URL}: a registry over PostgreSQL that prints {@code SEEN key millis}
 *       when another instance's trip reaches it; stops when its standard input closes.
 * </ul>
 */
public final class StoreChild {

    private StoreChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("operate")) {
            operate(Path.of(args[1]));
        } else {
            follow(args[1]);
        }
    }

    /** Operation n: on key k(n % 10), a trip when (n / 10) is even, else a reset. */
    static void operate(Path file) {
        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.sqlite(file))
                .defaultConfig(BreakerConfig.builder().resetCooldown(Duration.ZERO).build())
                .build()) {
            for (int n = 0; ; n++) {
                String key = "k" + (n % 10);
                if ((n / 10) % 2 == 0) {
                    registry.trip(key, "op-" + n, "child");
                } else {
                    registry.reset(key, "op-" + n, "child", false);
                }
                System.out.println("ACK " + n);
                System.out.flush();
            }
        }
    }

    static void follow(String url) throws Exception {
        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.builder(url).build())
                .listener(new BreakerListener() {
                    @Override
                    public void onTrip(BreakerEvent.Tripped event) {
                        System.out.println("SEEN " + event.key() + " " + System.currentTimeMillis());
                        System.out.flush();
                    }
                })
                .build()) {
            registry.statusAll(); // the store is read and the feed is listening once build() returned
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // wait for the parent to close our standard input
            }
        }
    }

    /** Starts this class in a new JVM with the test class path. */
    static Process start(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[args.length + 4];
        command[0] = java;
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = StoreChild.class.getName();
        System.arraycopy(args, 0, command, 4, args.length);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
