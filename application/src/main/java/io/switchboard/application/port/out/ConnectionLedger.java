package io.switchboard.application.port.out;

import io.switchboard.application.port.LimitSettings.LimitPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the per-IP and per-user connection counts are kept: in this process for a single node,
 * or in a database several nodes share, so that a limit holds across the cluster. Each admission
 * is decided atomically against the counts of every node.
 */
public interface ConnectionLedger {

    /**
     * A place for one connection.
     *
     * @param slotId unique across the cluster
     * @param userId {@code null} for an anonymous client, which counts only against its IP address
     */
    record Claim(String slotId, String ip, String userId) {
    }

    /** One limit and its policy; {@code max} 0 means no limit. */
    record Limit(int max, LimitPolicy policy) {
        public static final Limit NONE = new Limit(0, LimitPolicy.REJECT);

        public boolean bounded() {
            return max > 0;
        }
    }

    /** The answer to a claim. */
    sealed interface Verdict {
        /**
         * The claim holds a place now; the places of {@code evicted} (slot ids, on this node or
         * another) were taken away and their connections are to be evicted.
         */
        record Admitted(List<String> evicted) implements Verdict {
        }

        /** Over a limit whose policy rejects, or no connection could be evicted; nothing changed. */
        record Refused(boolean perUser) implements Verdict {
        }
    }

    /** This node's side of the ledger: its connections' idleness, and their eviction. */
    interface Node {
        /** How long each of this node's slots' connections has been idle (slots without a connection yet: zero). */
        Map<String, Duration> idleness();

        /** How long one slot's connection has been idle; zero when unknown. */
        Duration idle(String slotId);

        /** Another node's admission took this node's slot away: evict its connection (4009). */
        void evict(String slotId);
    }

    /** Connects the ledger to this node; call once, before the first {@link #admit}. */
    void serve(Node node);

    /** Takes a place under both limits, evicting older connections when their policies say so. */
    Verdict admit(Claim claim, Limit perIp, Limit perUser);

    /** Gives a place back; unknown or already released slots are ignored. */
    void release(String slotId);
}
