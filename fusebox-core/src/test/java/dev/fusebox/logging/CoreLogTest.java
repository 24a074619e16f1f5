package dev.fusebox.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.internal.CoreLog;
import java.io.File;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The core logs through SLF4J when the application has it, and needs nothing when it does not. */
class CoreLogTest {

    @Test
    void usesSlf4jWhenItAndAProviderArePresent() {
        // This module's tests have slf4j-api and Logback: the same as an application with Logback.
        assertThat(CoreLog.get("dev.fusebox").backend()).isEqualTo("SLF4J");
    }

    @Test
    void runsAndLogsWithNothingButTheCoreOnTheClassPath() throws Exception {
        Path core = location(CircuitBreakerRegistry.class);
        Path tests = location(BareMain.class);
        // Prove the child cannot see SLF4J: the class path is exactly the core's classes and BareMain.
        String classPath = core + File.pathSeparator + tests;
        try (URLClassLoader bare = new URLClassLoader(new java.net.URL[] {core.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            assertThat(bare.loadClass(CircuitBreakerRegistry.class.getName())).isNotNull();
            assertThat(classVisible(bare, "org.slf4j.LoggerFactory")).isFalse();
        }

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, BareMain.class.getName()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(stderr).isZero();
        // java.util.logging's console handler, behind System.Logger, prints WARNING and above to stderr.
        assertThat(stderr).contains("[CIRCUIT_BREAKER] TRIPPED: bare by tester. Reason: checking the fallback logger")
                .doesNotContain("SLF4J").doesNotContain("Exception");
    }

    private static boolean classVisible(ClassLoader loader, String name) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Path location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
