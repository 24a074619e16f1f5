/**
 * Fusebox's breaker engine. The API is {@code dev.fusebox} (registry, breaker, config, status,
 * exceptions), {@code dev.fusebox.event} (events and listeners) and {@code dev.fusebox.spi} (what
 * you may implement: the store, the load probe, the scheduler). {@code dev.fusebox.internal} is
 * not exported: it may change at any time. Logs through SLF4J when the application has it.
 */
module dev.fusebox.core {
    requires static org.slf4j;
    requires java.management;
    requires jdk.management;
    requires java.net.http;

    exports dev.fusebox;
    exports dev.fusebox.event;
    exports dev.fusebox.spi;
}
