package io.gatehouse.proxy.exchange;

import io.gatehouse.pool.ExchangeSlot;
import io.gatehouse.pool.SlotPool;

/**
 * The current attempt's hold on its backend: the pool it asked, its listener there, and the slot the pool lent (an
 * HTTP/1.1 connection or an HTTP/2 stream), so that an exchange always knows what to hand back, close or withdraw.
 */
final class AttemptSlot {
    private SlotPool pool;
    private AttemptListener listener;
    private ExchangeSlot slot;

    /** A new attempt asks {@code pool}, and is heard through {@code listener} alone. */
    void ask(SlotPool pool, AttemptListener listener) {
        this.pool = pool;
        this.listener = listener;
    }

    void acquire(boolean fresh) {
        pool.acquire(listener, fresh);
    }

    boolean isCurrent(AttemptListener candidate) {
        return candidate == listener;
    }

    void lent(ExchangeSlot slot) {
        this.slot = slot;
    }

    /** The slot in use, or null while none is lent. */
    ExchangeSlot slot() {
        return slot;
    }

    /** The slot closed under the attempt: forgotten, and returned for a look at how it ended. */
    ExchangeSlot closed() {
        ExchangeSlot closed = slot;
        slot = null;
        return closed;
    }

    /** Hands the slot back: to be lent again only if {@code reusable} (see {@link ExchangeSlot#release}). */
    void release(boolean reusable) {
        ExchangeSlot lent = slot;
        slot = null;
        lent.release(reusable);
    }

    /** Closes the slot, or withdraws the request for one; the listener is heard no more. */
    void drop() {
        if (slot != null) {
            release(false);
        } else if (pool != null) {
            pool.cancel(listener);
        }
        listener = null;
    }
}
