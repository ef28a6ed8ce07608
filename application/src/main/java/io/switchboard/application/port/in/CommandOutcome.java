package io.switchboard.application.port.in;

/** What became of a client's command. */
public sealed interface CommandOutcome {

    /** Appended to {@code $commands} for the publishers, with this id in that stream. */
    record Queued(String id) implements CommandOutcome {
    }

    /** Run by the namespace's command hook, which answered {@code result} (JSON text, {@code null} when none). */
    record Answered(String result) implements CommandOutcome {
    }

    /** Refused by the namespace's command hook (or the hook failed and fails closed): tell the client this. */
    record Refused(String code, String message) implements CommandOutcome {
    }
}
