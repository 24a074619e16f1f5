package dev.fusebox.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fusebox.BreakerStatus;
import dev.fusebox.JsonCodec;
import dev.fusebox.spi.AuditRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How the commands print: aligned tables for people, and with {@code --json} the JSON of
 * {@link JsonCodec}, the same as the admin API's.
 */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static void json(PrintWriter out, BreakerStatus status) {
        print(out, JsonCodec.status(status));
    }

    static void statusesJson(PrintWriter out, List<BreakerStatus> all) {
        print(out, all.stream().map(JsonCodec::status).toList());
    }

    static void auditJson(PrintWriter out, List<AuditRecord> rows) {
        print(out, rows.stream().map(JsonCodec::audit).toList());
    }

    private static void print(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException("JSON values always serialise", e);
        }
    }

    static void statusTable(PrintWriter out, List<BreakerStatus> all) {
        if (all.isEmpty()) {
            out.println("No breakers.");
            return;
        }
        String format = "%-24s %-9s %9s %6s  %s%n";
        out.printf(format, "BREAKER", "STATE", "FAILURES", "TRIPS", "DETAIL");
        for (BreakerStatus s : all) {
            out.printf(Locale.ROOT, format, s.key(), s.state(), number(s.failures()) + "/" + number(s.failureThreshold()),
                    s.tripCount(), detail(s));
        }
    }

    static void status(PrintWriter out, BreakerStatus s) {
        out.printf(Locale.ROOT, "%s: %s%n", s.key(), s.state());
        out.printf(Locale.ROOT, "  failures      %s of %s%n", number(s.failures()), number(s.failureThreshold()));
        out.printf(Locale.ROOT, "  trips         %d%n", s.tripCount());
        if (s.tripped()) {
            out.printf(Locale.ROOT, "  tripped       %s by %s: %s%n", time(s.trippedAt()), s.trippedBy(), s.tripReason());
        }
        if (s.lastError() != null) {
            out.printf(Locale.ROOT, "  last error    %s%n", s.lastError());
        }
        if (s.lastResetBy() != null) {
            out.printf(Locale.ROOT, "  last reset    %s by %s: %s%n", time(s.lastResetAt()), s.lastResetBy(),
                    s.lastResetReason());
        }
        if (s.avgLatencyMs() != null) {
            out.printf(Locale.ROOT, "  avg latency   %.1f ms%n", s.avgLatencyMs());
        }
        out.printf(Locale.ROOT, "  calls         %d (rejected %d, shed %d)%n", s.calls(), s.rejections(), s.sheds());
    }

    static void audit(PrintWriter out, List<AuditRecord> rows) {
        if (rows.isEmpty()) {
            out.println("No audit records.");
            return;
        }
        String format = "%-24s %-20s %-13s %-12s %s%n";
        out.printf(format, "TIME", "BREAKER", "ACTION", "USER", "REASON");
        for (AuditRecord r : rows) {
            out.printf(format, time(r.atMillis()), r.key(), r.action(), r.user(), r.reason());
        }
    }

    private static String detail(BreakerStatus s) {
        if (s.tripped()) {
            return "tripped by " + s.trippedBy() + ": " + s.tripReason();
        }
        return s.lastError() == null ? "" : "last error: " + s.lastError();
    }

    /** A score as people write it: 10, 9.5. */
    static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    static String time(Instant at) {
        return at == null ? "-" : at.toString();
    }

    static String time(long millis) {
        return millis <= 0 ? "-" : Instant.ofEpochMilli(millis).toString();
    }
}
