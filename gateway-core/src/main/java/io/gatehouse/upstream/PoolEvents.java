package io.gatehouse.upstream;

import io.gatehouse.resilience.CircuitBreaker;

/** What a pool reports of its backends' passive health: the metrics listen. Called from any thread. */
public interface PoolEvents {
    PoolEvents NONE = new PoolEvents() {
        @Override
        public void breakerTransitioned(Backend backend, CircuitBreaker.State to) {}

        @Override
        public void ejected(Backend backend) {}
    };

    void breakerTransitioned(Backend backend, CircuitBreaker.State to);

    void ejected(Backend backend);
}
