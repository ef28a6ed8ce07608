package io.switchboard.application.hooks;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One configured hook.
 *
 * @param url            where the hub posts its question
 * @param headers        names of the client's request headers to forward (connect only), any case
 * @param timeout        how long the answer may take
 * @param allowOnFailure {@code on-failure: allow}: a failed hook lets the client in; by default it is refused
 */
public record Hook(HookKind kind, URI url, List<String> headers, Duration timeout, boolean allowOnFailure) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public Hook {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        headers = headers.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
    }

    /** Where the hook is, without its query (which may hold a secret), for log lines. */
    public String place() {
        return url.getScheme() + "://" + url.getAuthority() + (url.getPath() == null ? "" : url.getPath());
    }
}
