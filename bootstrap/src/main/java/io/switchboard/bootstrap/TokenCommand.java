package io.switchboard.bootstrap;

import io.switchboard.adapters.security.SecurityAdapter;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code switchboard token --sub alice --roles admin --rooms 'project:*' --ttl 1h}: mints a development
 * token signed with the first key of the configured JWK set ({@code hub.auth.jwks}), so a new user
 * can try authentication in a minute. Production tokens come from your identity provider.
 */
final class TokenCommand {
    static final String USAGE = """
            Usage: switchboard token --sub USER [--roles r1,r2] [--rooms 'a:*,b:1'] [--ttl 1h] [--config FILE]

            Prints a JWT signed with the first key of hub.auth.jwks (from --config or HUB_AUTH_JWKS),
            carrying iss/aud when hub.auth.issuer/audience are set.
            """;

    private TokenCommand() {
    }

    /** @throws StartupException for bad options or a missing or unusable key */
    static String mint(String[] args, Map<String, String> environment, Clock clock) {
        String sub = null;
        List<String> roles = List.of();
        List<String> rooms = List.of();
        Duration ttl = Duration.ofHours(1);
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new StartupException(name.startsWith("--") ? name + " needs a value" : "unexpected '" + name + "'");
            }
            String value = args[++i];
            switch (name) {
                case "--sub" -> sub = value;
                case "--roles" -> roles = split(value);
                case "--rooms" -> rooms = split(value);
                case "--ttl" -> {
                    ttl = ConfigValues.parseDuration(value);
                    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                        throw new StartupException("--ttl: '" + value + "' is not a positive duration (e.g. 15m, 1h)");
                    }
                }
                case "--config" -> config = Path.of(value);
                default -> throw new StartupException("token: unknown option '" + name + "'");
            }
        }
        if (sub == null || sub.isBlank()) {
            throw new StartupException("token: --sub USER is required");
        }
        ConfigValues values = new ConfigValues(Map.of(), environment);
        if (config != null) {
            values.withFile("--config", config);
        }
        Settings settings = Settings.from(values, true);
        if (!settings.auth().enabled()) {
            throw new StartupException("token: no signing key; set hub.auth.jwks (in --config FILE or HUB_AUTH_JWKS), "
                    + "see docs/security.md");
        }
        return SecurityAdapter.mint(settings.auth().jwks(), settings.auth().rules(), sub, roles, rooms, ttl, clock);
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
