package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.admin.AdminServer;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fusebox commands against a real SQLite store and a real admin API. */
class CommandsTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result fusebox(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FuseboxCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void tripsResetsAndAuditsAgainstTheDatabase() {
        String db = dir.resolve("circuit_breaker.db").toString();

        Result trip = fusebox("trip", "draftkings", "--reason", "Scheduled maintenance window", "--db", db, "--user", "alice");
        Result tripped = fusebox("is-tripped", "draftkings", "--db", db);
        Result denied = fusebox("reset", "draftkings", "--reason", "too soon", "--db", db, "--user", "bob");
        Result forced = fusebox("reset", "draftkings", "--reason", "API team cleared incident", "--force", "--db", db,
                "--user", "bob");
        Result notTripped = fusebox("is-tripped", "draftkings", "--db", db);
        Result audit = fusebox("audit", "draftkings", "--db", db);
        Result all = fusebox("status-all", "--db", db);
        Result json = fusebox("status", "draftkings", "--json", "--db", db);

        assertThat(trip.code()).isZero();
        assertThat(trip.out()).contains("TRIPPED draftkings by alice: Scheduled maintenance window");
        assertThat(tripped.code()).isZero();
        assertThat(tripped.out().strip()).isEqualTo("yes");
        assertThat(denied.code()).isEqualTo(3);
        assertThat(denied.err()).startsWith("fusebox: Reset denied: draftkings").contains("ms of cooldown remain", "--force");
        assertThat(denied.err().strip().lines()).hasSize(1);
        assertThat(forced.code()).isZero();
        assertThat(forced.out()).contains("RESET draftkings by bob: API team cleared incident (FORCED)");
        assertThat(notTripped.code()).isEqualTo(1);
        assertThat(audit.out()).contains("FORCED_RESET", "RESET_DENIED", "TRIP", "alice", "bob");
        assertThat(all.out()).contains("draftkings", "CLOSED");
        assertThat(json.out()).contains("\"bookmaker\" : \"draftkings\"", "\"tripCount\" : 1");
    }

    @Test
    void aServiceOverTheSameFileSeesTheTrip() throws Exception {
        Path db = dir.resolve("shared.db");
        try (CircuitBreakerRegistry service = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(db)).build()) {
            service.breaker("fanduel");
            java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
            service.addListener(new dev.fusebox.event.BreakerListener() {
                @Override
                public void onTrip(dev.fusebox.event.BreakerEvent.Tripped event) {
                    seen.countDown();
                }
            });

            assertThat(fusebox("trip", "fanduel", "--reason", "console", "--db", db.toString()).code()).isZero();

            assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(service.isTripped("fanduel")).isTrue();
        }
    }

    @Test
    void worksAgainstARunningAdminApiAndRecordsTheTokensUser() throws Exception {
        Path tokens = Files.createFile(dir.resolve("tokens"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));  // the server refuses a token file others can read
        Files.writeString(tokens, "carol:carol-token-0123456789\n");
        try (CircuitBreakerRegistry service = CircuitBreakerRegistry.builder().build();
             AdminServer admin = AdminServer.builder(service).port(0).tokensFile(tokens).start()) {
            String url = "http://127.0.0.1:" + admin.port();

            Result noToken = fusebox("trip", "pinnacle", "--reason", "x", "--url", url);
            Result trip = fusebox("trip", "pinnacle", "--reason", "maintenance", "--url", url, "--token",
                    "carol-token-0123456789", "--user", "mallory");
            Result status = fusebox("status", "pinnacle", "--url", url);
            Result denied = fusebox("reset", "pinnacle", "--reason", "r", "--url", url, "--token", "carol-token-0123456789");
            Result unknown = fusebox("status", "nobody", "--url", url);
            Result auditAll = fusebox("audit", "--url", url);

            assertThat(noToken.code()).isEqualTo(2);
            assertThat(noToken.err()).contains("FUSEBOX_TOKEN");
            assertThat(trip.code()).isZero();
            assertThat(service.status("pinnacle").orElseThrow().trippedBy()).as("the token's user, not --user")
                    .isEqualTo("carol");
            assertThat(status.out()).contains("pinnacle: OPEN", "by carol: maintenance");
            assertThat(denied.code()).isEqualTo(3);
            assertThat(unknown.code()).isEqualTo(2);
            assertThat(unknown.err()).contains("no breaker 'nobody'");
            assertThat(auditAll.code()).isZero();
            assertThat(auditAll.out()).contains("pinnacle", "TRIP", "carol", "RESET_DENIED");
        }
    }

    @Test
    void reportsAnUnreachableApiWithExitCode4AndOneLine() {
        Result r = fusebox("status-all", "--url", "http://127.0.0.1:9");

        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err().strip().lines()).singleElement().asString().startsWith("fusebox: cannot reach the admin API");
    }

    @Test
    void answersBadUsageWithExitCode2() {
        Result missing = fusebox("trip", "draftkings");
        assertThat(missing.code()).as("missing --reason").isEqualTo(2);
        assertThat(missing.err().strip().lines()).singleElement().asString()
                .isEqualTo("fusebox: Missing required option: '--reason=TEXT' (try: fusebox trip --help)");
        assertThat(fusebox("no-such-command").code()).isEqualTo(2);
        assertThat(fusebox("audit", "--limit", "0", "--db", dir.resolve("x.db").toString()).code()).isEqualTo(2);
        assertThat(fusebox("status-all", "--url", "ftp://nowhere").code()).isEqualTo(2);

        String[] serve = {"serve", "--db", dir.resolve("serve.db").toString(), "--port", "0", "--tokens",
                dir.resolve("tokens").toString()};
        Result noKey = fusebox(concat(serve, "--pagerduty-url", "http://127.0.0.1:1/v2/enqueue"));
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("--pagerduty-url needs --pagerduty-routing-key");
        Result badWebhook = fusebox(concat(serve, "--slack-webhook", "hooks.slack.com/services/T1/B1/s3cr3t"));
        assertThat(badWebhook.code()).isEqualTo(2);
        assertThat(badWebhook.err()).contains("slackWebhook must be an http(s) URL").doesNotContain("s3cr3t");
        assertThat(dir.resolve("serve.db")).as("nothing was started").doesNotExist();
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"status-all", "status", "trip", "reset", "is-tripped", "audit"}) {
            Result help = fusebox(command, "--help");
            assertThat(help.code()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: fusebox " + command, "--db", "--url");
        }
    }

    @Test
    void runsAsAChildProcessWithTheDocumentedExitCodes() throws Exception {
        String db = dir.resolve("child.db").toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FuseboxCli.class.getName(),
                "is-tripped", "draftkings", "--db", db).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("no");
    }
}
