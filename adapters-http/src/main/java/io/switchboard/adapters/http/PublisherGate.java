package io.switchboard.adapters.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.auth.ApiCredentials;

import java.util.function.BiFunction;

/** Lets publishers (or administrators) through; answers everyone else 401 or 403 with a JSON body. */
final class PublisherGate {
    private final ApiCredentials credentials;

    PublisherGate(ApiCredentials credentials) {
        this.credentials = credentials;
    }

    /** Answers 401/403 and returns {@code false} when the caller may not act as a publisher. */
    boolean admit(ServerRequest req, ServerResponse res) {
        return admit(req, res, credentials::check);
    }

    /**
     * Who the publisher is, for the audit (never a key: see {@link ApiCredentials.Publisher}).
     *
     * @throws RejectedRequest 401/403 when the caller may not act as a publisher
     */
    String publisher(ServerRequest req) {
        ApiCredentials.Publisher publisher = credentials.publisher(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                req.remotePeer().address());
        refuseUnlessAllowed(publisher.verdict());
        return publisher.identity();
    }

    /** Answers 401/403 and returns {@code false} when the caller is neither a publisher nor an administrator. */
    boolean admitPublisherOrAdmin(ServerRequest req, ServerResponse res) {
        return admit(req, res, this::publisherOrAdmin);
    }

    /** Whether the caller is a publisher or an administrator; answers nothing. */
    boolean publisherOrAdmin(ServerRequest req) {
        return publisherOrAdmin(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), req.remotePeer().address())
                == ApiCredentials.Verdict.ALLOWED;
    }

    private ApiCredentials.Verdict publisherOrAdmin(String authorization, java.net.SocketAddress caller) {
        ApiCredentials.Verdict asPublisher = credentials.check(authorization, caller);
        return asPublisher == ApiCredentials.Verdict.ALLOWED ? asPublisher : credentials.checkAdmin(authorization, caller) == ApiCredentials.Verdict.ALLOWED
                ? ApiCredentials.Verdict.ALLOWED : asPublisher;
    }

    /** Answers 401/403 and returns {@code false} when the caller is not an administrator. */
    boolean admitAdmin(ServerRequest req, ServerResponse res) {
        return admit(req, res, credentials::checkAdmin);
    }

    private static boolean admit(ServerRequest req, ServerResponse res,
                                 BiFunction<String, java.net.SocketAddress, ApiCredentials.Verdict> check) {
        try {
            refuseUnlessAllowed(check.apply(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), req.remotePeer().address()));
            return true;
        } catch (RejectedRequest refused) {
            refused.answer(res);
            return false;
        }
    }

    private static void refuseUnlessAllowed(ApiCredentials.Verdict verdict) {
        switch (verdict) {
            case ALLOWED -> {
            }
            case NOT_LOOPBACK, MISSING_ROLE -> throw RejectedRequest.of(Status.FORBIDDEN_403, "FORBIDDEN", ApiCredentials.explain(verdict));
            default -> throw RejectedRequest.of(Status.UNAUTHORIZED_401, "AUTH_INVALID", ApiCredentials.explain(verdict));
        }
    }
}
