package dev.fusebox.jdbc;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kind of work a SQL statement does, which decides its breaker (seed 003): reads, writes and
 * authentication each fail and recover on their own.
 */
public enum SqlOperation {
    /** Queries: SELECT, WITH ... SELECT, SHOW, EXPLAIN, VALUES, TABLE, DESCRIBE. */
    READ,
    /** Everything that changes data or schema, or takes row locks (SELECT ... FOR UPDATE). */
    WRITE,
    /** Any statement that touches one of the authentication tables. */
    AUTH;

    private static final Pattern HINT = Pattern.compile("/\\*\\s*fusebox:(read|write|auth)\\s*\\*/",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LEADING = Pattern.compile("^(?:\\s+|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/|\\()*", Pattern.DOTALL);
    private static final Pattern LITERALS_AND_COMMENTS = Pattern.compile("'(?:[^']|'')*'|--[^\\n]*|/\\*.*?\\*/",
            Pattern.DOTALL);
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9$]*|\"([^\"]+)\"|`([^`]+)`");
    private static final Pattern WRITE_IN_CTE = Pattern.compile("\\b(INSERT|UPDATE|DELETE|MERGE)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LOCKING_READ = Pattern.compile(
            "\\bFOR\\s+(UPDATE|NO\\s+KEY\\s+UPDATE|SHARE|KEY\\s+SHARE)\\b|\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> READ_VERBS = Set.of("SELECT", "SHOW", "EXPLAIN", "VALUES", "TABLE", "DESCRIBE",
            "DESC", "PRAGMA");

    /**
     * Classifies {@code sql}. A comment {@code /* fusebox:read *}{@code /} (or write, auth)
     * anywhere in it decides; otherwise a statement that names one of {@code authTables} (any
     * case, quoted or not, with or without a schema) is {@link #AUTH}; otherwise its first keyword
     * decides, and anything that is not a plain query is {@link #WRITE}.
     *
     * @param authTables table names in lower case
     */
    public static SqlOperation of(String sql, Set<String> authTables) {
        if (sql == null || sql.isBlank()) {
            return WRITE;
        }
        Matcher hint = HINT.matcher(sql);
        if (hint.find()) {
            return valueOf(hint.group(1).toUpperCase(Locale.ROOT));
        }
        Matcher lead = LEADING.matcher(sql);
        String body = lead.lookingAt() ? sql.substring(lead.end()) : sql;
        if (!authTables.isEmpty() && namesAny(LITERALS_AND_COMMENTS.matcher(body).replaceAll(" "), authTables)) {
            return AUTH;
        }
        Matcher first = WORD.matcher(body);
        if (!first.lookingAt()) {
            return WRITE;
        }
        String verb = first.group().toUpperCase(Locale.ROOT);
        if (verb.equals("WITH")) {
            return WRITE_IN_CTE.matcher(body).find() || LOCKING_READ.matcher(body).find() ? WRITE : READ;
        }
        if (READ_VERBS.contains(verb)) {
            return verb.equals("SELECT") && LOCKING_READ.matcher(body).find() ? WRITE : READ;
        }
        return WRITE;
    }

    private static boolean namesAny(String sql, Set<String> tables) {
        Matcher m = WORD.matcher(sql);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group();
            if (tables.contains(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
