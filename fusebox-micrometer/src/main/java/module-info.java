/** Every breaker of a registry as Micrometer meters: {@code dev.fusebox.micrometer}. */
module dev.fusebox.micrometer {
    requires transitive dev.fusebox.core;
    requires transitive micrometer.core;

    exports dev.fusebox.micrometer;
}
