package dev.fusebox.jdbc;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.FuseboxException;
import dev.fusebox.Presets;
import dev.fusebox.RegistryBuilder;
import dev.fusebox.OutcomeClassifier;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose statements run through breakers, one per kind of work:
 * {@code NAME.read}, {@code NAME.write} and {@code NAME.auth} (see {@link SqlOperation}), and
 * {@code NAME.connection} around {@code getConnection()}, so that a database that cannot be
 * reached trips it and later requests fail fast instead of waiting for the pool's timeout.
 *
 * <pre>{@code
 * CircuitBreakerRegistry breakers = ProtectedDataSource.presets(CircuitBreakerRegistry.builder(), "db").build();
 * DataSource db = ProtectedDataSource.builder(hikari, breakers).name("db").authTables("users", "sessions").build();
 * }</pre>
 *
 * <p>What is guarded: {@code getConnection} and every {@code execute*} of statements created from
 * its connections. Result-set reads, commits and metadata pass straight through. A call refused
 * by a breaker throws {@link BreakerRejectedSQLException} (a {@link java.sql.SQLTransientConnectionException})
 * without reaching the database; {@link #isRejection} tells it apart for a fallback. Which
 * errors count is decided by the breakers' classifier: {@link #presets} installs
 * {@link SqlOutcomes}, under which a syntax error or a constraint violation does not count.
 * Thread-safe, as the wrapped data source.
 */
public final class ProtectedDataSource implements DataSource {

    private final DataSource delegate;
    private final CircuitBreaker connections;
    private final Map<SqlOperation, CircuitBreaker> breakers = new EnumMap<>(SqlOperation.class);
    private final Map<SqlOperation, CallContext> contexts = new EnumMap<>(SqlOperation.class);
    private final CallContext connect;
    private final Set<String> authTables;

    private ProtectedDataSource(Builder b) {
        delegate = b.delegate;
        authTables = b.authTables;
        connections = b.registry.breaker(b.name + ".connection");
        connect = CallContext.of("connect", b.load);
        for (SqlOperation op : SqlOperation.values()) {
            String kind = op.name().toLowerCase(Locale.ROOT);
            breakers.put(op, b.registry.breaker(b.name + "." + kind));
            contexts.put(op, CallContext.of(kind, b.load));
        }
        for (CircuitBreaker breaker : List.of(connections, breakers.get(SqlOperation.READ),
                breakers.get(SqlOperation.WRITE), breakers.get(SqlOperation.AUTH))) {
            if (breaker.config().callTimeout() != null) {
                // A timed call is abandoned on another thread: a JDBC call cannot be, safely.
                throw new IllegalArgumentException("breaker " + breaker.key() + " has a callTimeout; JDBC work cannot "
                        + "be abandoned safely: use the driver's timeouts instead (Statement.setQueryTimeout, "
                        + "PostgreSQL's statement_timeout, the pool's connectionTimeout)");
            }
        }
    }

    /** A builder wrapping {@code delegate} (a pool, usually), with breakers from {@code registry}. */
    public static Builder builder(DataSource delegate, CircuitBreakerRegistry registry) {
        return new Builder(delegate, registry);
    }

    /**
     * Adds the database presets for the breakers of data source {@code name}, each with
     * {@link SqlOutcomes}: {@code .read} {@link Presets#READ}, {@code .write} {@link Presets#WRITE},
     * {@code .auth} and {@code .connection} {@link Presets#AUTH} (the most tolerant).
     *
     * @return {@code builder}
     */
    public static RegistryBuilder presets(RegistryBuilder builder, String name) {
        return builder.preset(name + ".read", sql(Presets.READ))
                .preset(name + ".write", sql(Presets.WRITE))
                .preset(name + ".auth", sql(Presets.AUTH))
                .preset(name + ".connection", sql(Presets.AUTH));
    }

    private static BreakerConfig sql(BreakerConfig preset) {
        return preset.toBuilder().classifier(SqlOutcomes.INSTANCE).build();
    }

    /** Whether {@code error} is a call refused by a breaker (open, or load shed), not a database error. */
    public static boolean isRejection(Throwable error) {
        return OutcomeClassifier.findCause(error, BreakerRejectedSQLException.class) != null;
    }

    /** The breaker for a kind of work. */
    public CircuitBreaker breaker(SqlOperation operation) {
        return breakers.get(operation);
    }

    /** The breaker around {@code getConnection()}. */
    public CircuitBreaker connectionBreaker() {
        return connections;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(guarded(connections, connect, delegate::getConnection));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(guarded(connections, connect, () -> delegate.getConnection(username, password)));
    }

    private Connection wrap(Connection real) {
        ConnectionHandler handler = new ConnectionHandler(real);
        Connection proxy = (Connection) Proxy.newProxyInstance(ProtectedDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        handler.proxy = proxy;
        return proxy;
    }

    /** Runs {@code work} through {@code breaker}; a rejection becomes a {@link BreakerRejectedSQLException}. */
    private static <T> T guarded(CircuitBreaker breaker, CallContext context, Callable<T> work) throws SQLException {
        try {
            return breaker.call(work, context);
        } catch (FuseboxException rejected) { // no breaker here has a call timeout: this is a refusal
            throw new BreakerRejectedSQLException(rejected);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }

    /** Calls {@code method} on {@code target}, unwrapping what the reflective call wraps. */
    private static Object invoke(Object target, Method method, Object[] args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    /**
     * Wraps {@code real} so that {@code backMethod} returns {@code guarded} (the proxy that made it)
     * instead of the raw object, through which statements would run unguarded.
     */
    private static Object backReference(Class<?> type, Object real, String backMethod, Object guarded) {
        if (real == null) {
            return null;
        }
        return Proxy.newProxyInstance(ProtectedDataSource.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> {
                    if (method.getName().equals(backMethod) && method.getParameterCount() == 0) {
                        return guarded;
                    }
                    Object own = objectMethod(self, real, method, args);
                    return own != null ? own : ProtectedDataSource.invoke(real, method, args);
                });
    }

    /** {@code equals}, {@code hashCode} and {@code toString} of a proxy, or null for any other method. */
    private static Object objectMethod(Object self, Object real, Method method, Object[] args) {
        if (method.getDeclaringClass() != Object.class) {
            return null;
        }
        return switch (method.getName()) {
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            default -> "Protected" + real;
        };
    }

    /** Hands out guarded statements; everything else goes to the real connection. */
    private final class ConnectionHandler implements InvocationHandler {
        private final Connection real;
        private Connection proxy;

        ConnectionHandler(Connection real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "createStatement":
                    return statement(Statement.class, (Statement) ProtectedDataSource.invoke(real, method, args), null);
                case "prepareStatement":
                    return statement(PreparedStatement.class, (Statement) ProtectedDataSource.invoke(real, method, args),
                            (String) args[0]);
                case "prepareCall":
                    return statement(CallableStatement.class, (Statement) ProtectedDataSource.invoke(real, method, args),
                            (String) args[0]);
                case "getMetaData":
                    return backReference(DatabaseMetaData.class, ProtectedDataSource.invoke(real, method, args),
                            "getConnection", proxy);
                default:
                    Object own = objectMethod(self, real, method, args);
                    return own != null ? own : ProtectedDataSource.invoke(real, method, args);
            }
        }

        private Object statement(Class<? extends Statement> type, Statement statement, String sql) {
            StatementHandler handler = new StatementHandler(statement, sql, proxy);
            handler.self = Proxy.newProxyInstance(ProtectedDataSource.class.getClassLoader(), new Class<?>[] {type},
                    handler);
            return handler.self;
        }
    }

    /** Runs every execute through the breaker of the statement's kind of work. */
    private final class StatementHandler implements InvocationHandler {
        private final Statement real;
        private final String prepared;
        private final Connection connection;
        private final List<String> batch = new ArrayList<>();
        private Object self;

        StatementHandler(Statement real, String prepared, Connection connection) {
            this.real = real;
            this.prepared = prepared;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "getConnection":
                    return connection;
                case "addBatch":
                    if (args != null && args.length == 1 && args[0] instanceof String sql) {
                        batch.add(sql);
                    }
                    return ProtectedDataSource.invoke(real, method, args);
                case "clearBatch":
                    batch.clear();
                    return ProtectedDataSource.invoke(real, method, args);
                default:
                    break;
            }
            if (!name.startsWith("execute")) {
                Object own = objectMethod(self, real, method, args);
                return own != null ? own : resultSets(ProtectedDataSource.invoke(real, method, args));
            }
            SqlOperation op = operation(name, args);
            return resultSets(guarded(breakers.get(op), contexts.get(op), () -> {
                try {
                    return ProtectedDataSource.invoke(real, method, args);
                } finally {
                    if (name.endsWith("Batch")) {
                        batch.clear(); // the driver emptied its batch; a refused one is kept for a retry
                    }
                }
            }));
        }

        /** A result set's {@code getStatement()} answers the guarded statement, not the raw one. */
        private Object resultSets(Object value) {
            return value instanceof ResultSet rs ? backReference(ResultSet.class, rs, "getStatement", self) : value;
        }

        private SqlOperation operation(String method, Object[] args) {
            if (args != null && args.length > 0 && args[0] instanceof String sql) {
                return SqlOperation.of(sql, authTables);
            }
            if (!method.endsWith("Batch")) {
                return SqlOperation.of(prepared, authTables);
            }
            SqlOperation worst = prepared == null ? SqlOperation.READ : SqlOperation.of(prepared, authTables);
            for (String sql : batch) {
                SqlOperation op = SqlOperation.of(sql, authTables);
                if (op.ordinal() > worst.ordinal()) {
                    worst = op;
                }
            }
            return worst;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }

    /** Builds a {@link ProtectedDataSource}. Not thread-safe. */
    public static final class Builder {
        private final DataSource delegate;
        private final CircuitBreakerRegistry registry;
        private String name = "db";
        private Set<String> authTables = Set.of();
        private int load = 10;

        private Builder(DataSource delegate, CircuitBreakerRegistry registry) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The breakers' key prefix; default {@code db}. */
        public Builder name(String value) {
            Objects.requireNonNull(value, "name");
            if (value.isBlank() || value.length() > 100 || value.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("name must be 1 to 100 characters without control characters");
            }
            name = value;
            return this;
        }

        /** Tables whose statements go to the {@code auth} breaker (any case); default none. */
        public Builder authTables(String... tables) {
            authTables = java.util.Arrays.stream(tables).map(t -> t.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            return this;
        }

        /** The estimated load of a statement, for load shedding; default 10 (light). */
        public Builder estimatedLoad(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("estimatedLoad must not be negative, but was " + value);
            }
            load = value;
            return this;
        }

        public ProtectedDataSource build() {
            return new ProtectedDataSource(this);
        }
    }
}
