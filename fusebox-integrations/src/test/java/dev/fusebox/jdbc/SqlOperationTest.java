package dev.fusebox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlOperationTest {

    private static final Set<String> AUTH = Set.of("users", "sessions");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM mental_models WHERE transformation = ?              | READ",
        "  select 1                                                         | READ",
        "-- list them\\n SELECT id FROM markets                             | READ",
        "/* report */ (SELECT 1) UNION (SELECT 2)                           | READ",
        "WITH recent AS (SELECT * FROM bets) SELECT count(*) FROM recent    | READ",
        "WITH moved AS (DELETE FROM bets RETURNING *) SELECT * FROM moved   | WRITE",
        "SELECT * FROM bets WHERE id = ? FOR UPDATE                         | WRITE",
        "EXPLAIN SELECT 1                                                   | READ",
        "SHOW search_path                                                   | READ",
        "PRAGMA journal_mode                                                | READ",
        "INSERT INTO user_progress VALUES (?, ?, ?)                         | WRITE",
        "update markets set odds = ?                                        | WRITE",
        "DELETE FROM bets                                                   | WRITE",
        "CREATE TABLE t (id int)                                            | WRITE",
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE       | WRITE",
        "SELECT * FROM users WHERE email = ? AND provider = ?               | AUTH",
        "SELECT * FROM public.\"Users\" WHERE id = ?                        | AUTH",
        "UPDATE sessions SET last_seen = now()                              | AUTH",
        "SELECT * FROM bets WHERE note = 'users'                            | READ",
        "SELECT * FROM bets -- join users later                             | READ",
        "/* fusebox:auth */ SELECT token FROM api_keys WHERE key = ?        | AUTH",
        "/* fusebox:read */ CALL refresh_report()                           | READ",
        "SELECT * INTO archived_bets FROM bets                              | WRITE",
        "EXPLAIN ANALYZE DELETE FROM bets                                   | WRITE",
        "EXPLAIN DELETE FROM bets                                           | READ",
        "PRAGMA journal_mode = WAL                                          | WRITE",
        "SELECT 1; DELETE FROM bets                                         | WRITE",
        "SELECT '/* fusebox:auth */ users'                                  | READ",
        "SELECT 'it''s; DELETE' FROM bets                                   | READ",
        "                                                                   | WRITE",
    })
    void classifiesStatements(String sql, SqlOperation expected) {
        String statement = sql == null ? "" : sql.replace("\\n", "\n");
        assertThat(SqlOperation.of(statement, AUTH)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void handlesHugeLiteralsAndCommentsWithoutRecursion() {
        String json = "{\"k\": \"" + "x'y".replace("'", "''").repeat(50_000) + "\"}";
        assertThat(SqlOperation.of("INSERT INTO docs VALUES ('" + json + "')", AUTH)).isEqualTo(SqlOperation.WRITE);
        assertThat(SqlOperation.of("/* " + "-".repeat(200_000) + " */ SELECT 1", AUTH)).isEqualTo(SqlOperation.READ);
        assertThat(SqlOperation.of("SELECT 'unterminated", AUTH)).isEqualTo(SqlOperation.READ);
    }
}
