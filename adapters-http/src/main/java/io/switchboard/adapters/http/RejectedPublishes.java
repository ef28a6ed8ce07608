package io.switchboard.adapters.http;

import io.helidon.webserver.http.ServerRequest;
import io.switchboard.application.logging.OncePerSecond;

/**
 * Logs publishes the hub refused, with the reason (SPEC 15): at most one line a second, so that a
 * client repeating a bad request cannot flood the log; the next line counts those left out.
 */
final class RejectedPublishes {
    private static final System.Logger LOG = System.getLogger(RejectedPublishes.class.getName());

    private final OncePerSecond lines = new OncePerSecond();

    void rejected(ServerRequest req, RejectedRequest rejection) {
        // no message parameters: MessageFormat would group the digits of numbers
        lines.pass().ifPresent(more -> LOG.log(System.Logger.Level.INFO, "publish rejected ip=" + req.remotePeer().host()
                + " path=" + req.path().path() + " status=" + rejection.status().code() + ": " + printable(rejection.reason()) + more));
    }

    /** The reason may quote the client (a field name): it stays on one line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 500));
        for (int i = 0; i < text.length() && out.length() < 500; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.length() < text.length() ? out.append('…').toString() : out.toString();
    }
}
