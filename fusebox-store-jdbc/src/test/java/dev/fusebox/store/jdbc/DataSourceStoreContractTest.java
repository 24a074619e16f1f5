package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store over an application's own pool (as the Spring Boot starter's {@code datasource} store
 * uses it), on PostgreSQL: the same contract, and the pool is still the application's afterwards.
 */
class DataSourceStoreContractTest extends BreakerStoreContract {

    private final List<HikariDataSource> pools = new ArrayList<>();

    @Override
    String freshUrl() throws Exception {
        return PostgresServer.freshDatabase();
    }

    @Override
    JdbcStoreBuilder builder(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return JdbcBreakerStore.builder(pool);
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void closingTheStoreLeavesTheApplicationsPoolOpen() throws Exception {
        store.close();

        HikariDataSource pool = pools.get(0);
        assertThat(pool.isClosed()).isFalse();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM circuit_breaker_state")) {
            assertThat(rs.next()).as("the schema was migrated through the pool").isTrue();
        }
    }
}
