package io.switchboard.application.limits;

/** What the connection limits answer: a {@link Slot} to hold, or why not. */
public sealed interface LimitCheck {

    record Admitted(Slot slot) implements LimitCheck {
    }

    /**
     * @param code {@code CONNECTION_LIMIT} for a full limit, {@code RATE_LIMITED} for too many attempts,
     *             {@code UNAVAILABLE} when a shared limit cannot be checked right now
     */
    record Refused(String code, String message) implements LimitCheck {
        public boolean attempts() {
            return code.equals("RATE_LIMITED");
        }
    }
}
