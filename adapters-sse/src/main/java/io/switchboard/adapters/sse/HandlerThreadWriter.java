package io.switchboard.adapters.sse;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs a connection's writer on the thread that handles its SSE request: a response may only be
 * written by that thread, so the hub hands writes here and this thread performs them.
 */
final class HandlerThreadWriter implements Executor {
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Performs queued writes until {@code finished}; after {@code quietPeriod} without any,
     * runs {@code whenQuiet} (the heartbeat).
     */
    void run(BooleanSupplier finished, Duration quietPeriod, Runnable whenQuiet) throws InterruptedException {
        while (!finished.getAsBoolean()) {
            Runnable task = tasks.poll(quietPeriod.toMillis(), TimeUnit.MILLISECONDS);
            if (task != null) {
                task.run();
            } else {
                whenQuiet.run();
            }
        }
    }
}
