package io.switchboard.application.port.in;

/** One thing wrong with an input: where ({@code field}, e.g. {@code [2].room}) and what. */
public record Problem(String field, String message) {
}
