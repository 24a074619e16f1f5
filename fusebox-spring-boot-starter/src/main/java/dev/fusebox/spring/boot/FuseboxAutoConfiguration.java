package dev.fusebox.spring.boot;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.RegistryBuilder;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import dev.fusebox.store.jdbc.JdbcStoreBuilder;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * One {@link CircuitBreakerRegistry} from the {@code fusebox.*} properties, over the store they
 * name (a SQLite file by default). Each bean backs off when the application defines one of its
 * type. The registry is closed with the context, which writes what is still waiting for the
 * store. Runs after the DataSource auto-configuration, for {@code fusebox.store.type=datasource}.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration", // Boot 3
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" // Boot 4
})
@ConditionalOnProperty(prefix = FuseboxProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FuseboxProperties.class)
public class FuseboxAutoConfiguration {

    /**
     * The store {@code fusebox.store.type} names, unless the application has its own store or
     * registry. The registry owns it and closes it, so the context does not close it a second time.
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean({BreakerStore.class, CircuitBreakerRegistry.class})
    public BreakerStore fuseboxStore(FuseboxProperties properties, ObjectProvider<DataSource> dataSource) {
        StoreProperties store = properties.getStore();
        return switch (store.getType()) {
            case MEMORY -> new InMemoryBreakerStore();
            case SQLITE -> JdbcBreakerStore.sqlite(store.getSqliteFile());
            case JDBC -> configure(JdbcBreakerStore.builder(store.getUrl()), store)
                    .user(store.getUsername()).password(store.getPassword()).build();
            case DATASOURCE -> configure(JdbcBreakerStore.builder(dataSource.getIfAvailable(() -> {
                throw new IllegalStateException("fusebox.store.type is datasource, but the application has no"
                        + " single DataSource bean; define one, or set fusebox.store.type to sqlite or jdbc");
            })), store).build();
        };
    }

    private static JdbcStoreBuilder configure(JdbcStoreBuilder builder, StoreProperties store) {
        return builder.sqliteSync(store.getSqliteSync());
    }

    /**
     * The registry: the properties first, then every {@link FuseboxRegistryCustomizer} in order;
     * every {@link BreakerListener} bean listens to it.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CircuitBreakerRegistry fuseboxRegistry(FuseboxProperties properties, BreakerStore store,
                                                  ObjectProvider<FuseboxRegistryCustomizer> customizers,
                                                  ObjectProvider<BreakerListener> listeners) {
        RegistryBuilder builder = CircuitBreakerRegistry.builder().store(store)
                .defaultConfig(properties.defaultConfig())
                .logSummaryInterval(properties.getLogSummaryInterval())
                .maxBreakers(properties.getMaxBreakers())
                .idleTimeout(properties.getIdleTimeout());
        properties.getBreakers().forEach((key, settings) -> builder.preset(key, settings.toConfig(properties.defaultConfig())));
        properties.getPrefixes().forEach((prefix, settings) ->
                builder.prefixPreset(prefix, settings.toConfig(properties.defaultConfig())));
        properties.getLoadShedding().applyTo(builder);
        properties.getStore().applyTo(builder);
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }
}
