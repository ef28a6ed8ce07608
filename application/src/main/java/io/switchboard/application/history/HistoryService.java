package io.switchboard.application.history;

import io.switchboard.application.hooks.SubscribeHooks;
import io.switchboard.application.hub.JoinCheck;
import io.switchboard.application.port.AuthMode;

import io.switchboard.application.audit.AuditTrail;
import io.switchboard.application.auth.EndpointAuthenticator;
import io.switchboard.application.port.Principal;
import io.switchboard.application.auth.RoomAccess;
import io.switchboard.application.auth.TokenRejectedException;
import io.switchboard.application.port.in.HistoryAnswer;
import io.switchboard.application.port.in.HistoryAnswer.Why;
import io.switchboard.application.port.in.HistoryRequest;
import io.switchboard.application.port.in.ReadHistoryUseCase;
import io.switchboard.application.port.out.EventLog;
import io.switchboard.application.port.out.StateStore;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventId;
import io.switchboard.domain.Replay;
import io.switchboard.domain.RoomName;

import java.util.List;
import java.util.Optional;

/**
 * Reads a room's history for a caller the room's policy lets join (or a publisher or administrator).
 * The events come from {@link EventLog#readSince}, the same read a {@code join} with {@code since}
 * replays from, so both apply SPEC 6's resume rules identically: a {@code since} inside the history
 * gets exactly the gap, one outside it {@code recovered:false} with the reason and the state document.
 */
public final class HistoryService implements ReadHistoryUseCase {
    /** Reads of the newest events retried when the history moved between two of them. */
    private static final int ATTEMPTS = 3;

    private final EventLog log;
    private final StateStore states;
    private final RoomAccess access;
    private final RoomRules rules;
    private final EndpointAuthenticator tokens;
    private final AuditTrail audit;
    private final SubscribeHooks hooks;

    /**
     * Refused reads are audited as refused joins are: {@code auth.failed}, {@code authz.denied}. A caller the
     * room's policy lets in is then asked about as a join is: the namespace's subscribe hook ({@code hooks}).
     */
    public HistoryService(EventLog log, StateStore states, RoomAccess access, RoomRules rules, EndpointAuthenticator tokens,
                          AuditTrail audit, SubscribeHooks hooks) {
        this.hooks = hooks;
        this.log = log;
        this.states = states;
        this.access = access;
        this.rules = rules;
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public HistoryAnswer read(HistoryRequest request) {
        String problem = RoomName.problemWith(request.room());
        if (problem != null) {
            return invalid("room: " + problem);
        }
        RoomName room = new RoomName(request.room());
        Integer limit = limit(request.limit());
        if (limit == null) {
            return invalid("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        EventId since;
        try {
            since = request.since() == null ? null : EventId.parse(request.since());
        } catch (IllegalArgumentException e) {
            return invalid("since must be an event id (a decimal number)");
        }
        if (room.reserved()) {
            return new HistoryAnswer.Refused(Why.FORBIDDEN, ErrorCode.FORBIDDEN.name(), "room " + room + " is reserved for the hub");
        }
        HistoryAnswer.Refused refused = request.trusted() ? null : denial(request, room);
        if (refused != null) {
            return refused;
        }
        String missing = rules.missing(room);
        if (missing != null) {
            return new HistoryAnswer.Refused(Why.NOT_FOUND, ErrorCode.ROOM_NOT_FOUND.name(), missing);
        }
        return since == null ? newest(room, limit) : after(room, since, limit);
    }

    /** Why the caller's token does not let it join {@code room}, as a join is refused; {@code null} when it may. */
    private HistoryAnswer.Refused denial(HistoryRequest request, RoomName room) {
        Principal principal;
        try {
            principal = tokens.authenticate(AuthMode.OPTIONAL, request.token());
        } catch (TokenRejectedException e) {
            audit.record("auth.failed", null, null, request.peer(), request.endpoint(), e.code().name(), room.value(), e.getMessage());
            return new HistoryAnswer.Refused(Why.TOKEN_REJECTED, e.code().name(), e.getMessage());
        }
        String denial = access.denial(principal, room);
        if (denial == null) {
            JoinCheck.Refusal hooked = hooks.refusal(request.endpoint(), principal, room, null);
            if (hooked == null) {
                return null;
            }
            audit.record("authz.denied", null, principal == null ? null : principal.userId(), request.peer(), request.endpoint(),
                    "denied", room.value(), hooked.message());
            return new HistoryAnswer.Refused(Why.FORBIDDEN, hooked.code(), hooked.message());
        }
        audit.record("authz.denied", null, principal == null ? null : principal.userId(), request.peer(), request.endpoint(), "denied",
                room.value(), denial);
        return principal == null
                ? new HistoryAnswer.Refused(Why.UNAUTHENTICATED, ErrorCode.AUTH_INVALID.name(), denial + ": send a token")
                : new HistoryAnswer.Refused(Why.FORBIDDEN, ErrorCode.FORBIDDEN.name(), denial);
    }

    /** The events after {@code since} (the first {@code limit}), or why they can no longer be had. */
    private HistoryAnswer.Page after(RoomName room, EventId since, int limit) {
        return switch (log.readSince(room, since)) {
            case Replay.Gap gap -> {
                List<Event> events = gap.events().size() > limit ? gap.events().subList(0, limit) : gap.events();
                yield new HistoryAnswer.Page(room, events, true, null, oldest(room, events), gap.lastId(), Optional.empty());
            }
            case Replay.Lost lost -> new HistoryAnswer.Page(room, List.of(), false, lost.reason().wireName(), lost.oldestId(),
                    lost.lastId(), states.get(room));
        };
    }

    /**
     * The room's newest {@code limit} events, oldest first: read after the position {@code limit}
     * before the last id (ids of a room are contiguous), or after the oldest one held when fewer are.
     */
    private HistoryAnswer.Page newest(RoomName room, int limit) {
        Optional<EventId> last = log.lastId(room);
        for (int attempt = 0; attempt < ATTEMPTS && last.isPresent(); attempt++) {
            long from = Math.max(0, last.get().value() - limit);
            Replay replay = log.readSince(room, new EventId(from));
            if (replay instanceof Replay.Lost lost && lost.oldestId().isPresent()) {
                replay = log.readSince(room, new EventId(lost.oldestId().get().value() - 1));
            } else if (replay instanceof Replay.Lost lost) {
                return new HistoryAnswer.Page(room, List.of(), true, null, Optional.empty(), lost.lastId(), Optional.empty());
            }
            if (replay instanceof Replay.Gap gap) {
                List<Event> events = gap.events().size() > limit ? gap.events().subList(gap.events().size() - limit, gap.events().size())
                        : gap.events();
                // read from before the first id: the gap's first event is the oldest held
                Optional<EventId> oldest = from == 0 && !gap.events().isEmpty() ? Optional.of(gap.events().getFirst().id())
                        : oldest(room, events);
                return new HistoryAnswer.Page(room, events, true, null, oldest, gap.lastId(), Optional.empty());
            }
            last = replay instanceof Replay.Lost lost ? lost.lastId() : last; // trimmed between the two reads: again
        }
        return new HistoryAnswer.Page(room, List.of(), true, null, Optional.empty(), last, Optional.empty());
    }

    /**
     * The oldest id the room still holds: what a read from before any id says (the events held are
     * no later than the first of {@code events}).
     */
    private Optional<EventId> oldest(RoomName room, List<Event> events) {
        Optional<EventId> held = switch (log.readSince(room, new EventId(0))) {
            case Replay.Gap gap -> gap.events().isEmpty() ? Optional.empty() : Optional.of(gap.events().getFirst().id());
            case Replay.Lost lost -> lost.oldestId();
        };
        if (events.isEmpty()) {
            return held;
        }
        EventId first = events.getFirst().id();
        return held.filter(id -> id.compareTo(first) < 0).or(() -> Optional.of(first));
    }

    /** The limit sent, or the default when none; {@code null} when it is not a number from 1 to {@value #MAX_LIMIT}. */
    private static Integer limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (text.isEmpty() || text.length() > 7 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int limit = Integer.parseInt(text);
        return limit >= 1 && limit <= MAX_LIMIT ? limit : null;
    }

    private static HistoryAnswer.Refused invalid(String message) {
        return new HistoryAnswer.Refused(Why.INVALID, ErrorCode.MESSAGE_INVALID.name(), message);
    }
}
