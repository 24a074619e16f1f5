package dev.fusebox.cli;

import dev.fusebox.ActionResult;
import dev.fusebox.BreakerStatus;
import dev.fusebox.spi.AuditRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The operator commands; each returns its exit code. */
final class Commands {

    private Commands() {
    }

    /** What every command shares: the target and the writers. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public Integer call() {
            try (Backend backend = target.open()) {
                int code = run(backend);
                out().flush();
                return code;
            }
        }

        abstract int run(Backend backend);

        void warnIfNotDurable(ActionResult action) {
            if (!action.durable()) {
                err().println("fusebox: warning: done, but the store keeps it in memory only: not durable");
            }
        }
    }

    @Command(name = "status-all", description = "Show every breaker.", mixinStandardHelpOptions = true)
    static final class StatusAll extends Base {
        @Option(names = "--json", description = "Print JSON")
        boolean json;

        @Override
        int run(Backend backend) {
            List<BreakerStatus> all = backend.statusAll();
            if (json) {
                Output.statusesJson(out(), all);
            } else {
                Output.statusTable(out(), all);
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Show one breaker.", mixinStandardHelpOptions = true)
    static final class Status extends Base {
        @Parameters(paramLabel = "KEY", description = "The breaker key, e.g. draftkings")
        String key;

        @Option(names = "--json", description = "Print JSON")
        boolean json;

        @Override
        int run(Backend backend) {
            BreakerStatus s = backend.status(key)
                    .orElseThrow(() -> new CliException(CliException.USAGE, "no breaker '" + key + "'"));
            if (json) {
                Output.json(out(), s);
            } else {
                Output.status(out(), s);
            }
            return 0;
        }
    }

    @Command(name = "trip", description = "Trip a breaker now; it stays open until reset.", mixinStandardHelpOptions = true)
    static final class Trip extends Base {
        @Parameters(paramLabel = "KEY", description = "The breaker key")
        String key;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded in the audit trail)")
        String reason;

        @Override
        int run(Backend backend) {
            ActionResult action = backend.trip(key, reason);
            out().printf("TRIPPED %s by %s: %s%n", key, action.status().trippedBy(), action.status().tripReason());
            warnIfNotDurable(action);
            return 0;
        }
    }

    @Command(name = "reset", description = "Reset (close) a breaker. Refused within the cooldown unless --force.",
            mixinStandardHelpOptions = true)
    static final class Reset extends Base {
        @Parameters(paramLabel = "KEY", description = "The breaker key")
        String key;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded in the audit trail)")
        String reason;

        @Option(names = "--force", description = "Reset even within the cooldown (audited as a forced reset)")
        boolean force;

        @Override
        int run(Backend backend) {
            ActionResult action;
            try {
                action = backend.reset(key, reason, force);
            } catch (CliException e) {
                if (e.exitCode == CliException.RESET_DENIED) {
                    throw new CliException(e.exitCode, e.getMessage().replace("Use force to override.", "")
                            .strip() + " Use --force to override.", e);
                }
                throw e;
            }
            out().printf("RESET %s by %s: %s%s%n", key, action.status().lastResetBy(), action.status().lastResetReason(),
                    force ? " (FORCED)" : "");
            warnIfNotDurable(action);
            return 0;
        }
    }

    @Command(name = "is-tripped", description = "Answer yes (exit 0) or no (exit 1).", mixinStandardHelpOptions = true)
    static final class IsTripped extends Base {
        @Parameters(paramLabel = "KEY", description = "The breaker key")
        String key;

        @Override
        int run(Backend backend) {
            boolean tripped = backend.status(key).map(BreakerStatus::tripped).orElse(false);
            out().println(tripped ? "yes" : "no");
            return tripped ? 0 : CliException.NO;
        }
    }

    @Command(name = "audit", description = "Show the audit trail, newest first.", mixinStandardHelpOptions = true)
    static final class Audit extends Base {
        @Parameters(paramLabel = "KEY", arity = "0..1", description = "Only this breaker")
        String key;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N rows, 1 to 10000 (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--json", description = "Print JSON")
        boolean json;

        @Override
        int run(Backend backend) {
            if (limit < 1 || limit > 10_000) {
                throw new CliException(CliException.USAGE, "--limit must be from 1 to 10000, but was " + limit);
            }
            List<AuditRecord> rows = backend.audit(key, limit);
            if (json) {
                Output.auditJson(out(), rows);
            } else {
                Output.audit(out(), rows);
            }
            return 0;
        }
    }
}
