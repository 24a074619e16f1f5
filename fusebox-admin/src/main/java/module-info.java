/**
 * The admin HTTP API on Jetty 12: metrics, health, breakers, audit, trip and reset with tokens
 * ({@code dev.fusebox.admin}).
 */
module dev.fusebox.admin {
    requires transitive dev.fusebox.core;
    requires transitive micrometer.registry.prometheus;
    requires dev.fusebox.micrometer;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.fusebox.admin;
}
