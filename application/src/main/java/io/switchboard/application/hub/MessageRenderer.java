package io.switchboard.application.hub;

/** A dialect: turns what the hub sends into the text of one frame. */
@FunctionalInterface
public interface MessageRenderer {
    String render(Outbound message);
}
