package io.switchboard.bootstrap;

import io.helidon.common.buffers.DataReader;
import io.switchboard.application.logging.OncePerSecond;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Helidon 4.5.0 logs a WARNING with a 15-line stack trace ("Internal server error", caused by
 * {@code InsufficientDataAvailableException} in its headers parser) whenever a client goes away in the
 * middle of its request headers: any client can fill the log that way (slowloris, scanners, a
 * flaky network). Such records become one counted line a second; every other record passes.
 */
final class AbandonedHeads implements Filter {
    private static final String HTTP1_CONNECTION = "io.helidon.webserver.http1.Http1Connection";
    /** Held so the logger, and with it the filter, is not collected (JUL keeps loggers weakly). */
    private static final Logger HELIDON_HTTP1 = Logger.getLogger(HTTP1_CONNECTION);
    private static final System.Logger LOG = System.getLogger(AbandonedHeads.class.getName());
    private static final AbandonedHeads INSTANCE = new AbandonedHeads();

    private final OncePerSecond lines = new OncePerSecond();
    private final AtomicLong count = new AtomicLong();

    private AbandonedHeads() {
    }

    /** Puts the filter on Helidon's HTTP/1 connection logger (once; idempotent). */
    static void install() {
        HELIDON_HTTP1.setFilter(INSTANCE);
    }

    /** How many requests were abandoned in their headers since the start. */
    static long count() {
        return INSTANCE.count.get();
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!abandonedHead(record.getThrown())) {
            return true;
        }
        long total = count.incrementAndGet();
        lines.pass().ifPresent(more -> LOG.log(System.Logger.Level.INFO,
                "a client went away in the middle of its request headers ({0} so far)", String.valueOf(total)));
        return false;
    }

    private static boolean abandonedHead(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return true;
            }
        }
        return false;
    }
}
