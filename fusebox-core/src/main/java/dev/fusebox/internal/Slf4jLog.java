package dev.fusebox.internal;

import java.lang.System.Logger.Level;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/** {@link CoreLog} on SLF4J. Loaded only when SLF4J's API is on the class path. */
final class Slf4jLog extends CoreLog {

    private final Logger logger;

    private Slf4jLog(Logger logger) {
        this.logger = logger;
    }

    /** The logger, or null when SLF4J has no provider and would drop every line. */
    static CoreLog createIfProvided(String name) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof NOPLoggerFactory) {
            return null;
        }
        return new Slf4jLog(factory.getLogger(name));
    }

    @Override
    public String backend() {
        return "SLF4J";
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ALL, TRACE -> logger.isTraceEnabled();
            case DEBUG -> logger.isDebugEnabled();
            case INFO -> logger.isInfoEnabled();
            case WARNING -> logger.isWarnEnabled();
            case ERROR -> logger.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(Level level, String message) {
        log(level, message, null);
    }

    @Override
    public void log(Level level, String message, Throwable thrown) {
        switch (level) {
            case ALL, TRACE -> logger.trace(message, thrown);
            case DEBUG -> logger.debug(message, thrown);
            case INFO -> logger.info(message, thrown);
            case WARNING -> logger.warn(message, thrown);
            case ERROR -> logger.error(message, thrown);
            case OFF -> {
                // nothing
            }
        }
    }
}
