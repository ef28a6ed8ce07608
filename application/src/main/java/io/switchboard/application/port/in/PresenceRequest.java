package io.switchboard.application.port.in;

import io.switchboard.domain.RoomName;

import java.util.ArrayList;
import java.util.List;

/**
 * A presence query as a client sends it: the room, how many members at most ({@code limit}, text as
 * it came; {@code null}: {@value #DEFAULT_LIMIT}) and the connection id to continue after ({@code after}).
 */
public record PresenceRequest(RoomName room, int limit, String after) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** Connection ids are shorter; a longer cursor is not one the hub gave. */
    private static final int MAX_CURSOR = 128;

    public PresenceRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException(List.of(new Problem("limit", "must be 1 to " + MAX_LIMIT)));
        }
        if (after != null && (after.isEmpty() || after.length() > MAX_CURSOR)) {
            throw new InvalidInputException(List.of(new Problem("after", "must be a connection id (the next of a previous page)")));
        }
    }

    /** Validates the parts as a client sent them, reporting every problem at once. */
    public static PresenceRequest of(String room, String limit, String after) {
        List<Problem> problems = new ArrayList<>();
        String roomProblem = RoomName.problemWith(room);
        if (roomProblem != null) {
            problems.add(new Problem("room", roomProblem));
        } else if (new RoomName(room).reserved()) {
            problems.add(new Problem("room", "room " + room + " is reserved for the hub"));
        }
        int count = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                count = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                count = -1;
            }
            if (count < 1 || count > MAX_LIMIT) {
                problems.add(new Problem("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", got '" + abbreviate(limit) + "'"));
            }
        }
        if (after != null && (after.isEmpty() || after.length() > MAX_CURSOR)) {
            problems.add(new Problem("after", "must be a connection id (the next of a previous page)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new PresenceRequest(new RoomName(room), count, after);
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "…";
    }
}
