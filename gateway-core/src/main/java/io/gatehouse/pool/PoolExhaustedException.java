package io.gatehouse.pool;

/** Every connection to a backend is busy and its wait queue is full. */
public final class PoolExhaustedException extends Exception {
    PoolExhaustedException(String message) {
        super(message, null, false, false);
    }
}
