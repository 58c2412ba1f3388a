package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;

/**
 * Picks a backend from one fixed, non-empty snapshot of healthy backends. A pool builds a new balancer
 * each time its healthy set changes, so implementations may precompute from the snapshot freely.
 * Both methods are called concurrently from every event loop and must not block.
 */
public interface Balancer {
    /** The backend for a request's first attempt; this may move the balancer's shared position (its rotation). */
    Backend pick();

    /**
     * The backend for a retry: one of the members not in {@code tried}, or {@code null} when every member was
     * tried. It neither reads nor moves the shared position {@link #pick()} uses, so a retry does not change which
     * backend the next request's first attempt gets.
     */
    Backend pickUntried(List<Backend> tried);
}
