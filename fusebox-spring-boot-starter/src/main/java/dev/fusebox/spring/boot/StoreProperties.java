package dev.fusebox.spring.boot;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.RegistryBuilder;
import dev.fusebox.UnreadableStatePolicy;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import dev.fusebox.store.jdbc.JdbcStoreBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.validation.Errors;

/**
 * Where breaker state and the audit trail are kept: {@code fusebox.store.*}. By default a SQLite
 * file, {@code ./data/circuit_breaker.db}, so a tripped breaker stays tripped across restarts and
 * the {@code fusebox} command on the same host sees the same breakers. Not thread-safe: bound once
 * at start.
 */
public class StoreProperties {

    /** The kinds of store. */
    public enum Type {
        /** A SQLite file ({@code sqlite-file}). */
        SQLITE,
        /** A database at a JDBC URL ({@code url}): {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...}. */
        JDBC,
        /** The application's own {@code DataSource} bean (SQLite or PostgreSQL). */
        DATASOURCE,
        /** In memory: nothing survives a restart and nothing is shared. */
        MEMORY
    }

    /** Where state is kept: sqlite (a file), jdbc (a URL), datasource (the application's DataSource) or memory. */
    private Type type = Type.SQLITE;

    /** The SQLite file, for type sqlite; its folder is created (owner-only) if missing. */
    private Path sqliteFile = JdbcBreakerStore.DEFAULT_SQLITE_FILE;

    /** The JDBC URL, for type jdbc (refused with another type): jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE. */
    private String url;

    /** The database user, for type jdbc (or put it in the URL); refused with another type. */
    private String username;

    /** The database password, for type jdbc (or put it in the URL); refused with another type. */
    private String password;

    /** SQLite durability per commit: normal (survives kill -9) or full (also power loss; an fsync per commit). */
    private JdbcStoreBuilder.SqliteSync sqliteSync = JdbcStoreBuilder.SqliteSync.NORMAL;

    /** What to do when the stored state cannot be read at start: refuse-calls, fail-build or start-closed. */
    private UnreadableStatePolicy whenStateUnreadable = UnreadableStatePolicy.REFUSE_CALLS;

    /** With a shared store: whether a breaker that trips on its own failures opens it on every instance. */
    private boolean shareAutomaticTrips = true;

    /** How often failure scores and automatic changes are written behind, 10ms to 1m. */
    private Duration writeBehindInterval = RegistryBuilder.DEFAULT_WRITE_BEHIND_INTERVAL;

    /** How often the store is checked (connection, change feed), 100ms to 1m, or 0 for never. */
    private Duration checkInterval = RegistryBuilder.DEFAULT_STORE_CHECK_INTERVAL;

    void validate(Errors errors) {
        if (type == Type.JDBC && !given(url)) {
            errors.reject("fusebox.invalid", "fusebox.store.url must be set when fusebox.store.type is jdbc");
        }
        // Not inferred, and not ignored: ignored, the breakers would live in a local file while the user
        // believes them shared through the database named.
        List<String> jdbcOnly = new ArrayList<>();
        if (given(url)) {
            jdbcOnly.add("url");
        }
        if (given(username)) {
            jdbcOnly.add("username");
        }
        if (given(password)) {
            jdbcOnly.add("password");
        }
        if (type != Type.JDBC && !jdbcOnly.isEmpty()) {
            errors.reject("fusebox.invalid", "fusebox.store.type is " + type.name().toLowerCase(Locale.ROOT)
                    + ", so fusebox.store." + String.join(", fusebox.store.", jdbcOnly) + " would be ignored: set"
                    + " fusebox.store.type=jdbc to keep the breakers in that database, or remove them");
        }
        try {
            applyTo(CircuitBreakerRegistry.builder()); // its setters check the ranges
        } catch (IllegalArgumentException e) {
            errors.reject("fusebox.invalid", "fusebox.store: " + e.getMessage());
        }
    }

    /** Set and not blank: {@code url: ${DB_URL:}} with no DB_URL counts as unset. */
    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }

    /** Sets the registry-level store settings on {@code builder}. */
    void applyTo(RegistryBuilder builder) {
        builder.whenStateUnreadable(whenStateUnreadable)
                .shareAutomaticTrips(shareAutomaticTrips)
                .writeBehindInterval(writeBehindInterval)
                .storeCheckInterval(checkInterval);
    }

    public Type getType() { return type; }

    public void setType(Type type) { this.type = type; }

    public Path getSqliteFile() { return sqliteFile; }

    public void setSqliteFile(Path sqliteFile) { this.sqliteFile = sqliteFile; }

    public String getUrl() { return url; }

    public void setUrl(String url) { this.url = url; }

    public String getUsername() { return username; }

    public void setUsername(String username) { this.username = username; }

    public String getPassword() { return password; }

    public void setPassword(String password) { this.password = password; }

    public JdbcStoreBuilder.SqliteSync getSqliteSync() { return sqliteSync; }

    public void setSqliteSync(JdbcStoreBuilder.SqliteSync sqliteSync) { this.sqliteSync = sqliteSync; }

    public UnreadableStatePolicy getWhenStateUnreadable() { return whenStateUnreadable; }

    public void setWhenStateUnreadable(UnreadableStatePolicy value) { this.whenStateUnreadable = value; }

    public boolean isShareAutomaticTrips() { return shareAutomaticTrips; }

    public void setShareAutomaticTrips(boolean value) { this.shareAutomaticTrips = value; }

    public Duration getWriteBehindInterval() { return writeBehindInterval; }

    public void setWriteBehindInterval(Duration value) { this.writeBehindInterval = value; }

    public Duration getCheckInterval() { return checkInterval; }

    public void setCheckInterval(Duration checkInterval) { this.checkInterval = checkInterval; }
}
