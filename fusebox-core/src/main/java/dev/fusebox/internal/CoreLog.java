package dev.fusebox.internal;

import java.lang.System.Logger.Level;

/**
 * A logger of the core. It writes to SLF4J when {@code org.slf4j:slf4j-api} and a provider
 * (Logback, Log4j 2, ...) are on the class path; the core declares SLF4J optional, so it adds no
 * runtime dependency. Without SLF4J, or with SLF4J but no provider (where SLF4J would drop every
 * line), it writes to {@link System.Logger}. Thread-safe.
 */
public abstract class CoreLog {

    CoreLog() {
    }

    /** The logger of that name, on SLF4J if it is usable here, else on {@link System.Logger}. */
    public static CoreLog get(String name) {
        if (slf4jVisible(CoreLog.class.getClassLoader())) {
            CoreLog slf4j = Slf4jLog.createIfProvided(name);
            if (slf4j != null) {
                return slf4j;
            }
        }
        return new PlatformLog(name);
    }

    /** Whether SLF4J's API can be loaded by {@code loader}. */
    static boolean slf4jVisible(ClassLoader loader) {
        try {
            Class.forName("org.slf4j.LoggerFactory", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Where the lines go, for diagnostics: {@code "SLF4J"} or {@code "System.Logger"}. */
    public abstract String backend();

    public abstract boolean isLoggable(Level level);

    public abstract void log(Level level, String message);

    public abstract void log(Level level, String message, Throwable thrown);

    /** {@link System.Logger}, which the JDK routes to java.util.logging unless told otherwise. */
    static final class PlatformLog extends CoreLog {
        private final System.Logger logger;

        PlatformLog(String name) {
            logger = System.getLogger(name);
        }

        @Override
        public String backend() {
            return "System.Logger";
        }

        @Override
        public boolean isLoggable(Level level) {
            return logger.isLoggable(level);
        }

        @Override
        public void log(Level level, String message) {
            logger.log(level, message);
        }

        @Override
        public void log(Level level, String message, Throwable thrown) {
            logger.log(level, message, thrown);
        }
    }
}
