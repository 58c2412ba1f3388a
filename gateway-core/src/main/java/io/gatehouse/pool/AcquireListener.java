package io.gatehouse.pool;

/**
 * Told, on the pool's event loop, how a {@link SlotPool#acquire} ended: exactly one call. On success the slot is
 * already attached to this listener, which then receives its upstream events.
 */
public interface AcquireListener extends UpstreamListener {
    /** The limit for opening a new connection on this listener's behalf. */
    int connectTimeoutMillis();

    void onAcquired(ExchangeSlot slot);

    /** @param exhausted true when the pool and its wait queue were full, false when connecting failed */
    void onAcquireFailed(Throwable cause, boolean exhausted);
}
