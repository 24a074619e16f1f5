/** Durable, shared breaker state and audit trail in SQLite or PostgreSQL: {@code dev.fusebox.store.jdbc}. */
module dev.fusebox.store.jdbc {
    requires transitive dev.fusebox.core;
    requires transitive java.sql;
    requires java.management;
    requires org.slf4j;
    requires com.zaxxer.hikari;
    requires org.xerial.sqlitejdbc;
    requires org.postgresql.jdbc;

    exports dev.fusebox.store.jdbc;
}
