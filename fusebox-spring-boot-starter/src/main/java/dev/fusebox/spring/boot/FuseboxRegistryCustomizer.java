package dev.fusebox.spring.boot;

import dev.fusebox.RegistryBuilder;

/**
 * Changes the {@link RegistryBuilder} of the auto-configured registry after the {@code fusebox.*}
 * properties were applied and before it is built: a classifier for a preset, a clock and scheduler
 * in tests, a load probe. Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface FuseboxRegistryCustomizer {

    /** Changes {@code builder}; called once, on the thread that creates the registry. */
    void customize(RegistryBuilder builder);
}
