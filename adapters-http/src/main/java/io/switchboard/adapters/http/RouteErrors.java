package io.switchboard.adapters.http;

import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * What a route throws becomes a JSON answer {@code {"code","message"}} (SPEC 15): a
 * {@link RejectedRequest} its own; Helidon's HTTP exceptions their status; anything else a 500 that
 * says nothing of the exception, which goes to the log with its stack trace, being the hub's fault.
 */
final class RouteErrors implements ErrorHandler<Throwable> {
    private static final System.Logger LOG = System.getLogger(RouteErrors.class.getName());

    @Override
    public void handle(ServerRequest req, ServerResponse res, Throwable error) {
        switch (error) {
            case RejectedRequest rejected -> rejected.answer(res);
            // Helidon's own text may quote the request or its parser; the status says enough
            case HttpException http -> JsonBodies.sendError(res, http.status(), JsonDirectHandler.code(http.status()),
                    http.status().code() == 500 ? JsonDirectHandler.INTERNAL_MESSAGE : "the request was refused: " + http.status().reasonPhrase());
            default -> {
                LOG.log(System.Logger.Level.WARNING, "request " + req.prologue().method().text() + " " + req.path().path()
                        + " failed inside the hub", error);
                JsonBodies.sendError(res, Status.INTERNAL_SERVER_ERROR_500, "INTERNAL", JsonDirectHandler.INTERNAL_MESSAGE);
            }
        }
    }
}
