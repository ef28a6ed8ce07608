package io.switchboard.application.hub;

/** Where the hub records what happens to and on its connections (the audit trail implements it). */
public interface AuditRecorder {

    /** Records a happening of {@code connection}; {@code room} and {@code detail} may be {@code null}. */
    void record(String type, Connection connection, String outcome, String room, String detail);
}
