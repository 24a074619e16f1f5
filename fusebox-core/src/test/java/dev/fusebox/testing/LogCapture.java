package dev.fusebox.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what Fusebox logs. With no SLF4J bridge on the class path, {@link System.Logger}
 * goes to java.util.logging, where this handler listens on the "dev.fusebox" logger.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = Logger.getLogger("dev.fusebox");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level previous = logger.getLevel();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture() {
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> linesContaining(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previous);
    }
}
