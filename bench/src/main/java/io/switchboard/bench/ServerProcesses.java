package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes a server runs as: the one the bench started and its children, from
 * {@code /proc/PID/task/PID/children} (nginx's master forks one worker per core; the hub and Node
 * have none), so that CPU time and memory count every worker.
 */
final class ServerProcesses {
    private ServerProcesses() {
    }

    static List<Long> of(long pid) {
        List<Long> pids = new ArrayList<>(List.of(pid));
        try {
            for (String child : Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim().split("\\s+")) {
                if (!child.isEmpty()) {
                    pids.add(Long.parseLong(child));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no children known: the process alone
        }
        return pids;
    }
}
