package io.switchboard.application.presence;

import io.switchboard.application.json.JsonText;
import io.switchboard.application.hub.Outbound;
import io.switchboard.application.port.in.PresencePage;
import io.switchboard.application.port.out.PresenceStore;

/** Presence as JSON text: a page ({@code presence}, the HTTP body), a join or a leave. */
public final class PresenceNotices {
    private PresenceNotices() {
    }

    /** {@code {room, clients: [{connectionId, userId, info?}], users, connections, next}}; nulls written as {@code null}. */
    public static String page(PresencePage page) {
        StringBuilder clients = new StringBuilder(64 * page.clients().size() + 2).append('[');
        for (int i = 0; i < page.clients().size(); i++) {
            PresencePage.Client client = page.clients().get(i);
            if (i > 0) {
                clients.append(',');
            }
            JsonText one = new JsonText(96).string("connectionId", client.connectionId()).raw("userId", orNull(client.userId()));
            if (client.info() != null) {
                one.raw("info", client.info());
            }
            clients.append(one.close());
        }
        return new JsonText(clients.length() + 96)
                .string("room", page.room())
                .raw("clients", clients.append(']').toString())
                .number("users", page.users())
                .number("connections", page.connections())
                .raw("next", orNull(page.next()))
                .close();
    }

    /** The answer to a client's {@code presence} request. */
    static Outbound answer(PresencePage page) {
        return new Outbound.Notice("presence", page(page), false);
    }

    /** {@code presence.join} or {@code presence.leave} {@code {room, connectionId, userId}}. */
    static Outbound notice(String type, PresenceStore.Member member) {
        return new Outbound.Notice(type, new JsonText(128)
                .string("room", member.room().value())
                .string("connectionId", member.connectionId())
                .raw("userId", orNull(member.userId()))
                .close(), true);
    }

    private static String orNull(String text) {
        return text == null ? "null" : JsonText.quoted(text);
    }
}
