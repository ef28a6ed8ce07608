package io.switchboard.application.port.in;


/**
 * Decides whether a client may connect, the same way for every transport (SPEC 14): Origin, attempts
 * per address, token, role and bound path, reserved rooms, room policy and room capacity, connection
 * limits, in that order; every refusal is audited and logged here, once.
 */
public interface AdmitConnectionUseCase {

    Admission admit(ConnectRequest request);
}
