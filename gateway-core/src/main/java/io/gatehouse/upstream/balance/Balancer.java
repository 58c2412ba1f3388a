package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

/**
 * Picks a backend from one fixed, non-empty snapshot of healthy backends. A pool builds a new balancer
 * each time its healthy set changes, so implementations may precompute from the snapshot freely.
 * {@link #pick()} is called concurrently from every event loop and must not block.
 */
public interface Balancer {
    Backend pick();
}
