package io.gatehouse.lifecycle;

/**
 * Something requests need that the gateway sets up in the background once it listens, such as the first Redis
 * connection of shared rate limits (later: the first configuration from etcd). {@code /readyz} reports
 * {@code starting} until every gate is open, for at most {@code server.ready_timeout}.
 */
public interface StartupGate {
    /** Names the gate in {@code /readyz} and the log, e.g. {@code redis}: a constant, JSON-safe word. */
    String name();

    /** True once requests no longer wait for it; it never closes again (later outages have their own policy). */
    boolean isOpen();
}
