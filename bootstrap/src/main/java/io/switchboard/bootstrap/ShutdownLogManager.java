package io.switchboard.bootstrap;

import java.util.logging.LogManager;

/**
 * The JDK's {@link LogManager}, except at exit: the JDK closes every log handler from a shutdown hook
 * of its own, which runs alongside the hub's and silenced the hub's last lines (the close line of
 * each connection, "shutdown complete"). Here that reset waits until the hub says its last line is
 * written ({@link #hubStopped()}), and happens then.
 *
 * <p>Selected by {@code java.util.logging.manager} before anything logs ({@link Main}); the JDK
 * creates it reflectively, hence public with a public constructor.
 */
public final class ShutdownLogManager extends LogManager {
    private boolean hubRunning;
    private boolean resetWaiting;

    public ShutdownLogManager() {
    }

    /** Called once the hub runs: from now on, a reset at exit waits for {@link #hubStopped()}. */
    static void hubStarted() {
        if (LogManager.getLogManager() instanceof ShutdownLogManager manager) {
            synchronized (manager) {
                manager.hubRunning = true;
            }
        }
    }

    /** Called when the hub's last line is written: a reset the JDK asked for at exit happens now. */
    static void hubStopped() {
        if (LogManager.getLogManager() instanceof ShutdownLogManager manager) {
            boolean reset;
            synchronized (manager) {
                manager.hubRunning = false;
                reset = manager.resetWaiting;
            }
            if (reset) {
                manager.reset();
            }
        }
    }

    @Override
    public void reset() {
        synchronized (this) {
            if (hubRunning && exiting()) {
                resetWaiting = true;
                return;
            }
        }
        super.reset();
    }

    /** A shutdown hook can no longer be added once the JVM is exiting: that is the documented sign. */
    private static boolean exiting() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
