/**
 * Breakers around the JDK's HTTP client ({@code dev.fusebox.http}) and around JDBC data sources
 * ({@code dev.fusebox.jdbc}).
 */
module dev.fusebox.integrations {
    requires transitive dev.fusebox.core;
    requires transitive java.net.http;
    requires transitive java.sql;

    exports dev.fusebox.http;
    exports dev.fusebox.jdbc;
}
