package dev.fusebox.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kind of work a SQL statement does, which decides its breaker: reads, writes and
 * authentication each fail and recover on their own.
 */
public enum SqlOperation {
    /** Queries: SELECT, WITH ... SELECT, SHOW, EXPLAIN, VALUES, TABLE, DESCRIBE, PRAGMA reads. */
    READ,
    /** Everything that changes data or schema, or takes row locks (SELECT ... FOR UPDATE). */
    WRITE,
    /** Any statement that touches one of the authentication tables. */
    AUTH;

    private static final Pattern HINT = Pattern.compile("^\\s*fusebox:(read|write|auth)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9$]*|\"([^\"]+)\"|`([^`]+)`");
    private static final Pattern CHANGES_DATA = Pattern.compile("\\b(INSERT|UPDATE|DELETE|MERGE)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LOCKS_OR_CREATES = Pattern.compile(
            "\\bFOR\\s+(UPDATE|NO\\s+KEY\\s+UPDATE|SHARE|KEY\\s+SHARE)\\b|\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b|\\bINTO\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ANALYZE = Pattern.compile("\\bANALY[SZ]E\\b", Pattern.CASE_INSENSITIVE);
    private static final Set<String> READ_VERBS = Set.of("SELECT", "SHOW", "VALUES", "TABLE", "DESCRIBE", "DESC");

    /**
     * Classifies {@code sql}. A comment {@code /* fusebox:read *}{@code /} (or write, auth)
     * decides; otherwise a statement that names one of {@code authTables} (any case, quoted or
     * not, with or without a schema; string literals and comments do not count) is
     * {@link #AUTH}; otherwise its first keyword decides, and anything that is not a plain query
     * is {@link #WRITE}. Several statements separated by {@code ;} take the weightiest kind.
     *
     * @param authTables table names in lower case
     */
    public static SqlOperation of(String sql, Set<String> authTables) {
        if (sql == null || sql.isBlank()) {
            return WRITE;
        }
        List<String> comments = new ArrayList<>();
        String code = strip(sql, comments);
        for (String comment : comments) {
            Matcher hint = HINT.matcher(comment);
            if (hint.matches()) {
                return valueOf(hint.group(1).toUpperCase(Locale.ROOT));
            }
        }
        if (!authTables.isEmpty() && namesAny(code, authTables)) {
            return AUTH;
        }
        SqlOperation worst = null;
        for (String statement : code.split(";")) {
            if (!statement.isBlank()) {
                SqlOperation op = statement(statement);
                worst = worst == null || op.ordinal() > worst.ordinal() ? op : worst;
            }
        }
        return worst == null ? WRITE : worst;
    }

    private static SqlOperation statement(String code) {
        int start = 0;
        while (start < code.length() && (Character.isWhitespace(code.charAt(start)) || code.charAt(start) == '(')) {
            start++;
        }
        Matcher first = WORD.matcher(code).region(start, code.length());
        if (!first.lookingAt()) {
            return WRITE;
        }
        String verb = first.group().toUpperCase(Locale.ROOT);
        String rest = code.substring(first.end());
        switch (verb) {
            case "WITH":
                return CHANGES_DATA.matcher(rest).find() || LOCKS_OR_CREATES.matcher(rest).find() ? WRITE : READ;
            case "SELECT":
                return LOCKS_OR_CREATES.matcher(rest).find() ? WRITE : READ;
            case "EXPLAIN":
                return ANALYZE.matcher(rest).find() && CHANGES_DATA.matcher(rest).find() ? WRITE : READ;
            case "PRAGMA":
                return rest.indexOf('=') >= 0 || rest.indexOf('(') >= 0 ? WRITE : READ;
            default:
                return READ_VERBS.contains(verb) ? READ : WRITE;
        }
    }

    /**
     * The statement with string literals blanked out and comments removed (their text goes to
     * {@code comments}). A hand-written scan: regular expressions over long literals overflow
     * the stack.
     */
    static String strip(String sql, List<String> comments) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                int end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == '\'') {
                        if (end + 1 < n && sql.charAt(end + 1) == '\'') {
                            end += 2; // an escaped quote
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                out.append("''");
                i = Math.min(end + 1, n);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                comments.add(sql.substring(i + 2, end));
                out.append(' ');
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                comments.add(sql.substring(i + 2, end < 0 ? n : end));
                out.append(' ');
                i = end < 0 ? n : end + 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean namesAny(String code, Set<String> tables) {
        Matcher m = WORD.matcher(code);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group();
            if (tables.contains(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
