package io.switchboard.bootstrap.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What the hub logs while a test runs, for asserting log lines, or that no stack trace was logged:
 * a handler on a logger (the root logger sees every line), removed again on {@link #close()}.
 */
public final class LogWatch extends Handler implements AutoCloseable {
    private static final SimpleFormatter MESSAGES = new SimpleFormatter();

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogWatch(Logger logger) {
        this.logger = logger;
        logger.addHandler(this);
    }

    /** Every line the hub logs. */
    public static LogWatch everything() {
        return new LogWatch(Logger.getLogger(""));
    }

    /** The lines of one logger, named as the class that logs them. */
    public static LogWatch of(String loggerName) {
        return new LogWatch(Logger.getLogger(loggerName));
    }

    /** The messages so far, as the log shows them (parameters filled in). */
    public List<String> lines() {
        return records.stream().map(MESSAGES::formatMessage).toList();
    }

    /** The records logged with an exception: a stack trace in the log. */
    public List<LogRecord> thrown() {
        return records.stream().filter(r -> r.getThrown() != null).toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
