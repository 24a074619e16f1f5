package dev.fusebox.cli;

import picocli.CommandLine.Option;

/** Where a command acts: a store ({@code --db}) or a running admin API ({@code --url}). */
final class Target {

    static final String DEFAULT_DB = "data/circuit_breaker.db";

    @Option(names = "--db", paramLabel = "FILE|URL",
            description = "SQLite file or jdbc: URL of the store (default: ${DEFAULT-VALUE}, when --url is not given)",
            defaultValue = DEFAULT_DB)
    String db;

    @Option(names = "--url", paramLabel = "URL", description = "A running admin API, e.g. http://127.0.0.1:3000")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token for --url (default: the FUSEBOX_TOKEN environment variable)")
    String token;

    @Option(names = "--user", paramLabel = "NAME",
            description = "Who to record in the audit trail with --db (default: the OS user)")
    String user;

    @Option(names = "--verbose", description = "Print stack traces of errors")
    boolean verbose;

    Backend open() {
        if (url != null) {
            return new ApiBackend(url, token != null ? token : System.getenv("FUSEBOX_TOKEN"));
        }
        return new DbBackend(db, user != null ? user : System.getProperty("user.name", "unknown"));
    }
}
