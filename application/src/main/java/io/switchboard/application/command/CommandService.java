package io.switchboard.application.command;

import io.switchboard.application.json.JsonText;
import io.switchboard.application.port.in.CommandRequest;
import io.switchboard.application.port.in.InvalidInputException;
import io.switchboard.application.port.in.Problem;
import io.switchboard.application.port.in.SendCommandUseCase;
import io.switchboard.application.port.out.EventBus;
import io.switchboard.domain.EventDraft;
import io.switchboard.domain.EventType;
import io.switchboard.domain.RoomName;
import io.switchboard.domain.Timestamps;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stamps a client command with its connection, user and time and appends it to the hub's own room
 * {@code $commands}: publishers read that room as a stream and resume it like any other, so
 * commands are delivered at least once.
 */
public final class CommandService implements SendCommandUseCase {
    /** The room holding upstream commands; only publishers may read it. */
    public static final RoomName COMMANDS_ROOM = new RoomName("$commands");
    private static final String EVENT_TYPE = "command";

    private final EventBus bus;
    private final Clock clock;
    private final int maxDataBytes;

    public CommandService(EventBus bus, Clock clock, int maxDataBytes) {
        this.bus = bus;
        this.clock = clock;
        this.maxDataBytes = maxDataBytes;
    }

    @Override
    public String send(CommandRequest command) {
        List<Problem> problems = new ArrayList<>();
        String roomProblem = RoomName.problemWith(command.room());
        if (roomProblem != null) {
            problems.add(new Problem("room", roomProblem));
        } else if (new RoomName(command.room()).reserved()) {
            problems.add(new Problem("room", "room " + command.room() + " is reserved for the hub"));
        }
        String nameProblem = EventType.problemWith(command.name());
        if (nameProblem != null) {
            problems.add(new Problem("name", nameProblem.replace("type", "name")));
        }
        String data = command.data() == null ? "null" : command.data();
        if (data.getBytes(StandardCharsets.UTF_8).length > maxDataBytes) {
            problems.add(new Problem("data", "command data is limited to " + maxDataBytes + " bytes"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        String stamped = new JsonText(data.length() + 192)
                .string("room", command.room())
                .string("name", command.name())
                .raw("data", data)
                .string("connectionId", command.connectionId())
                .string("userId", command.userId())
                .string("timestamp", Timestamps.format(clock.instant()))
                .close();
        return bus.append(List.of(new EventDraft(COMMANDS_ROOM, EVENT_TYPE, stamped, Map.of(), false, null)))
                .getFirst().id().toString();
    }
}
