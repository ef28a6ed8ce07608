package io.switchboard.bootstrap;

/** A bad option or configuration value: the hub does not start and exits with code 2. */
final class StartupException extends RuntimeException {
    StartupException(String message) {
        super(message);
    }
}
