package io.switchboard.adapters.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.auth.PublisherCredentials;


/** Lets publishers through; answers everyone else 401 or 403 with a JSON body. */
final class PublisherGate {
    private final PublisherCredentials credentials;

    PublisherGate(PublisherCredentials credentials) {
        this.credentials = credentials;
    }

    /** Answers 401/403 and returns {@code false} when the caller may not act as a publisher. */
    boolean admit(ServerRequest req, ServerResponse res) {
        PublisherCredentials.Verdict verdict = credentials.check(
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), req.remotePeer().address());
        switch (verdict) {
            case ALLOWED -> {
                return true;
            }
            case NOT_LOOPBACK, NOT_PUBLISHER -> JsonBodies.sendError(res, Status.FORBIDDEN_403, "FORBIDDEN", PublisherCredentials.explain(verdict));
            default -> JsonBodies.sendError(res, Status.UNAUTHORIZED_401, "AUTH_INVALID", PublisherCredentials.explain(verdict));
        }
        return false;
    }
}
