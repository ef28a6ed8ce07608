package io.switchboard.bootstrap;

import io.switchboard.adapters.websocket.SocketIoSettings;

/** Reads {@code hub.socket-io.*}: the Socket.IO endpoint (SPEC 3.2), off while its path is empty. */
final class SocketIoConfig {
    private SocketIoConfig() {
    }

    static SocketIoSettings from(ConfigValues values, Settings.AuthSettings auth) {
        String path = values.text("hub.socket-io.path").trim();
        if (!path.isEmpty() && (!path.startsWith("/") || path.replaceAll("/+$", "").isEmpty())) {
            values.problem("hub.socket-io.path: '" + path + "' must start with / and name a path (e.g. /socket.io/)");
            path = "";
        }
        String room = values.text("hub.socket-io.room");
        if (!room.contains("{value}")) {
            values.problem("hub.socket-io.room: '" + room + "' must contain {value} (the argument of join and leave)");
            room = "{value}";
        }
        return new SocketIoSettings(path, room, Settings.mode(values, "hub.socket-io.auth", auth), values.list("hub.websocket.origins"));
    }
}
