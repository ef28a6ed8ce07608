package io.switchboard.adapters.eventbus;

import io.switchboard.domain.RoomName;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One room's id sequence as this process knows it: the last id committed, read from table
 * {@code rooms} on first use. Its lock is held from id assignment until the listeners have heard
 * the committed events, so they hear them in id order; readers take it for a consistent view.
 */
final class RoomSequence {
    private final RoomName room;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastId = -1;

    RoomSequence(RoomName room) {
        this.room = room;
    }

    RoomName room() {
        return room;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** Under the lock: the last committed id, 0 for a room without events. */
    long lastId(EventRows rows) {
        if (lastId < 0) {
            lastId = rows.lastId(room).orElse(0L);
        }
        return lastId;
    }

    /** Under the lock, after commit. */
    void committed(long newLastId) {
        lastId = newLastId;
    }
}
