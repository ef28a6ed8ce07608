package io.switchboard.application.publish;

import io.switchboard.application.port.in.EventSubmission;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.in.PublishCommand;
import io.switchboard.application.port.in.PublishEventsUseCase;
import io.switchboard.application.port.in.PublishReceipt;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.application.port.out.PublishReceipts;
import io.switchboard.application.rooms.RoomRules;
import io.switchboard.application.hub.HubMetrics;
import io.switchboard.domain.Event;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventType;
import io.switchboard.domain.RoomName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Validates publishes completely, then appends them to the bus all at once. */
public final class PublishService implements PublishEventsUseCase {
    private static final int MAX_KEY_LENGTH = 128;
    /** Top-level fields of the canonical event message, which meta may not redefine. */
    public static final Set<String> ENVELOPE_FIELDS = Set.of("type", "data", "room", "id", "timestamp", "ack");
    private static final int LOCK_STRIPES = 64;

    private final PublishSettings settings;
    private final RoomRules roomRules;
    private final EventBus bus;
    private final PublishReceipts receipts;
    private final HubMetrics metrics;
    private final Object[] keyLocks = new Object[LOCK_STRIPES];
    private final Set<RoomName> intakeRooms;

    public PublishService(PublishSettings settings, EventBus bus, PublishReceipts receipts, HubMetrics metrics, RoomRules roomRules) {
        this(settings, bus, receipts, metrics, roomRules, Set.of());
    }

    /**
     * @param intakeRooms hub-owned ({@code $}) rooms publishers may nevertheless publish to: the
     *                    domain-event bridge's intake room. Not for the bridge's own output, or it would feed itself.
     */
    public PublishService(PublishSettings settings, EventBus bus, PublishReceipts receipts, HubMetrics metrics, RoomRules roomRules,
                          Set<RoomName> intakeRooms) {
        this.intakeRooms = Set.copyOf(intakeRooms);
        this.settings = settings;
        this.roomRules = roomRules;
        this.bus = bus;
        this.receipts = receipts;
        this.metrics = metrics;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            keyLocks[i] = new Object();
        }
    }

    @Override
    public PublishReceipt publish(PublishCommand command) {
        String key = command.idempotencyKey();
        if (key == null) {
            return append(command, List.of());
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            // validates the events too, so every problem is reported at once; never appends
            return append(command, List.of(new Problem("idempotencyKey",
                    "idempotencyKey must be 1 to " + MAX_KEY_LENGTH + " characters")));
        }
        synchronized (keyLocks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
            Optional<PublishReceipt> earlier = receipts.find(key);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            PublishReceipt receipt = append(command, List.of());
            receipts.remember(key, receipt);
            return receipt;
        }
    }

    /** Validates and appends; any problem, including {@code requestProblems}, throws and appends nothing. */
    private PublishReceipt append(PublishCommand command, List<Problem> requestProblems) {
        List<Problem> problems = new ArrayList<>(command.readProblems());
        problems.addAll(requestProblems);
        List<List<EventDraft>> perSubmission = new ArrayList<>();
        List<EventSubmission> events = command.events();
        if (events.isEmpty()) {
            problems.add(new Problem("", "the batch is empty"));
        }
        if (events.size() > settings.maxBatchSize()) {
            problems.add(new Problem("", "a batch holds at most " + settings.maxBatchSize() + " events, got " + events.size()));
        }
        for (int i = 0; i < events.size() && problems.size() < 100; i++) {
            perSubmission.add(drafts(events.get(i), command.batch() ? "[" + i + "]." : "", problems));
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        List<EventDraft> drafts = new ArrayList<>();
        perSubmission.forEach(drafts::addAll);
        Iterator<Event> stored = bus.append(drafts).iterator();
        List<Map<String, String>> ids = new ArrayList<>();
        for (List<EventDraft> submission : perSubmission) {
            Map<String, String> roomIds = new LinkedHashMap<>();
            for (int i = 0; i < submission.size(); i++) {
                Event event = stored.next();
                metrics.published(event);
                roomIds.put(event.room().value(), event.id().toString());
            }
            ids.add(roomIds);
        }
        return new PublishReceipt(ids, command.batch());
    }

    private List<EventDraft> drafts(EventSubmission event, String at, List<Problem> problems) {
        int before = problems.size();
        List<RoomName> rooms = rooms(event, at, problems);
        String typeProblem = EventType.problemWith(event.type());
        if (typeProblem != null) {
            problems.add(new Problem(at + "type", typeProblem));
        }
        if (event.data() != null) {
            int bytes = event.data().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > settings.maxPayloadBytes()) {
                problems.add(new Problem(at + "data", "data is " + bytes + " bytes; the limit is " + settings.maxPayloadBytes()));
            }
        }
        if (event.meta() != null) {
            for (String field : event.meta().keySet()) {
                if (ENVELOPE_FIELDS.contains(field)) {
                    problems.add(new Problem(at + "meta." + field, "meta must not redefine the envelope field '" + field + "'"));
                }
            }
        }
        if (event.key() != null && (event.key().isEmpty() || event.key().length() > MAX_KEY_LENGTH)) {
            problems.add(new Problem(at + "key", "key must be 1 to " + MAX_KEY_LENGTH + " characters"));
        }
        if (problems.size() > before) {
            return List.of();
        }
        List<EventDraft> drafts = new ArrayList<>(rooms.size());
        for (RoomName room : rooms) {
            drafts.add(new EventDraft(room, event.type(), event.data(), event.meta(), event.critical(), event.key(), event.occurredAt()));
        }
        return drafts;
    }

    private List<RoomName> rooms(EventSubmission event, String at, List<Problem> problems) {
        boolean single = event.room() != null;
        boolean several = event.rooms() != null;
        if (single == several) {
            problems.add(new Problem(at + "room", "exactly one of 'room' and 'rooms' is required"));
        }
        // the names given are checked even then, so every problem is reported at once
        List<RoomName> rooms = new ArrayList<>();
        if (single) {
            RoomName room = room(event.room(), at + "room", problems);
            if (room != null) {
                rooms.add(room);
            }
        }
        if (!several) {
            return rooms;
        }
        if (event.rooms().isEmpty() || event.rooms().size() > settings.maxRoomsPerEvent()) {
            problems.add(new Problem(at + "rooms", "rooms must list 1 to " + settings.maxRoomsPerEvent() + " rooms"));
            return rooms;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < event.rooms().size(); i++) {
            String name = event.rooms().get(i);
            if (!seen.add(name)) {
                problems.add(new Problem(at + "rooms[" + i + "]", "room '" + name + "' is listed twice"));
                continue;
            }
            RoomName room = room(name, at + "rooms[" + i + "]", problems);
            if (room != null) {
                rooms.add(room);
            }
        }
        return rooms;
    }

    private RoomName room(String name, String field, List<Problem> problems) {
        String problem = RoomName.problemWith(name);
        if (problem != null) {
            problems.add(new Problem(field, problem));
            return null;
        }
        RoomName room = new RoomName(name);
        if (room.reserved() && !intakeRooms.contains(room)) {
            problems.add(new Problem(field, "room " + room + " is reserved for the hub"));
            return null;
        }
        String missing = roomRules.missing(room);
        if (missing != null) {
            problems.add(new Problem(field, missing + " (declare " + room + " with PUT /api/v1/rooms/" + room + ")"));
            return null;
        }
        return room;
    }

    private InvalidInputException invalid(List<Problem> problems) {
        metrics.invalidInput();
        return new InvalidInputException(problems);
    }
}
