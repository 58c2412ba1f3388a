package io.gatehouse.upstream;

import io.gatehouse.resilience.CircuitBreaker;

/** What a pool reports of its backends' passive health: the metrics listen. Called from any thread. */
public interface PoolEvents {
    void breakerTransitioned(Backend backend, CircuitBreaker.State to);

    void ejected(Backend backend, EjectionReason reason);
}
