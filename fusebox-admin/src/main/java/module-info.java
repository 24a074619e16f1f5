/**
 * The admin HTTP API on Jetty 12: metrics, health, breakers, audit, trip and reset with tokens, an
 * event stream, and the console that runs on them ({@code dev.fusebox.admin}).
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
    // uPlot's WebJar, for the console's charts: resources only, named after its jar (uplot-VERSION.jar);
    // required so that an application on the module path resolves it.
    requires uplot;

    exports dev.fusebox.admin;
}
