package io.switchboard.adapters.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.switchboard.application.port.in.Problem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request the hub refuses, with the JSON answer the client gets. Thrown by what reads a request;
 * answered by the route (which may log it) or else by {@link RouteErrors}. It carries no stack trace:
 * the mistake is the client's, and its text is written for the client.
 */
final class RejectedRequest extends RuntimeException {
    private final Status status;
    private final String code;
    private final List<Problem> problems;

    private RejectedRequest(Status status, String code, String message, List<Problem> problems) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.problems = problems;
    }

    static RejectedRequest of(Status status, String code, String message) {
        return new RejectedRequest(status, code, message, List.of());
    }

    /** 400 {@code MESSAGE_INVALID}. */
    static RejectedRequest invalid(String message) {
        return of(Status.BAD_REQUEST_400, "MESSAGE_INVALID", message);
    }

    /** 400 {@code MESSAGE_INVALID} listing every problem. */
    static RejectedRequest problems(List<Problem> problems) {
        return new RejectedRequest(Status.BAD_REQUEST_400, "MESSAGE_INVALID", JsonBodies.summary(problems), List.copyOf(problems));
    }

    Status status() {
        return status;
    }

    /** What the client is told, with each problem of a list (the first five), for the log. */
    String reason() {
        if (problems.size() <= 1) {
            return getMessage();
        }
        return getMessage() + ": " + problems.stream().limit(5)
                .map(p -> (p.field().isEmpty() ? "" : p.field() + ": ") + p.message())
                .collect(Collectors.joining("; "));
    }

    void answer(ServerResponse res) {
        if (problems.isEmpty()) {
            JsonBodies.sendError(res, status, code, getMessage());
        } else {
            JsonBodies.sendProblems(res, problems);
        }
    }
}
