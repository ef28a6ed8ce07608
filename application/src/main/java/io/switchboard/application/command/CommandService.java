package io.switchboard.application.command;

import io.switchboard.application.json.JsonText;
import io.switchboard.application.hooks.Hook;
import io.switchboard.application.hooks.HookDecision;
import io.switchboard.application.hooks.HookGate;
import io.switchboard.application.hooks.HookQuestions;
import io.switchboard.application.hooks.NamespaceHooks;
import io.switchboard.application.port.in.CommandOutcome;
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
import java.util.Optional;

/**
 * Stamps a client command with its connection, user and time and appends it to the hub's own room
 * {@code $commands}: publishers read that room as a stream and resume it like any other, so
 * commands are delivered at least once. A command to a room whose namespace has a command hook goes to
 * the application instead, and its answer comes back to the client; it is not also queued (SPEC 16).
 */
public final class CommandService implements SendCommandUseCase {
    /** The room holding upstream commands; only publishers may read it. */
    public static final RoomName COMMANDS_ROOM = new RoomName("$commands");
    private static final String EVENT_TYPE = "command";

    private final EventBus bus;
    private final Clock clock;
    private final int maxDataBytes;
    private final NamespaceHooks hooks;
    private final HookGate gate;

    public CommandService(EventBus bus, Clock clock, int maxDataBytes) {
        this(bus, clock, maxDataBytes, NamespaceHooks.NONE, null);
    }

    /** @param gate asks the namespaces' command hooks; may be {@code null} when {@code hooks} has none */
    public CommandService(EventBus bus, Clock clock, int maxDataBytes, NamespaceHooks hooks, HookGate gate) {
        this.bus = bus;
        this.clock = clock;
        this.maxDataBytes = maxDataBytes;
        this.hooks = hooks;
        this.gate = gate;
    }

    @Override
    public CommandOutcome send(CommandRequest command) {
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
        Optional<Hook> hook = hooks.command(new RoomName(command.room()));
        if (hook.isPresent()) {
            return switch (gate.decide(hook.get(), HookQuestions.command(hook.get(), command.endpoint(), command.principal(), command.room(),
                    command.name(), data, command.connectionId()))) {
                case HookDecision.Allow allow -> new CommandOutcome.Answered(allow.granted().result());
                case HookDecision.Refuse refusal -> new CommandOutcome.Refused(refusal.code(), refusal.message());
            };
        }
        String stamped = new JsonText(data.length() + 192)
                .string("room", command.room())
                .string("name", command.name())
                .raw("data", data)
                .string("connectionId", command.connectionId())
                .string("userId", command.userId())
                .string("timestamp", Timestamps.format(clock.instant()))
                .close();
        return new CommandOutcome.Queued(bus.append(List.of(new EventDraft(COMMANDS_ROOM, EVENT_TYPE, stamped, Map.of(), false, null)))
                .getFirst().id().toString());
    }
}
