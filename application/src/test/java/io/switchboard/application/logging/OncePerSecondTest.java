package io.switchboard.application.logging;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One line a second, and the next line tells how many were held back. */
class OncePerSecondTest {

    @Test
    void theFirstLinePassesThenOneASecondCountingTheRest() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        OncePerSecond lines = new OncePerSecond(now::get);
        assertEquals(Optional.of(""), lines.pass());
        now.addAndGet(999_999_999L);
        assertEquals(Optional.empty(), lines.pass());
        assertEquals(Optional.empty(), lines.pass());
        now.addAndGet(1);
        assertEquals(Optional.of(" (and 2 more since the last such line)"), lines.pass());
        now.addAndGet(3_000_000_000L);
        assertEquals(Optional.of(""), lines.pass());
    }
}
