package io.switchboard.application.limits;

/** The answer to a connection attempt: let in (holding a {@link Slot}), or refused with an HTTP status. */
public sealed interface Admission {

    record Admitted(Slot slot) implements Admission {
    }

    /** @param status 503 for a full limit, 429 for too many attempts */
    record Refused(int status, String code, String message) implements Admission {
    }
}
