package io.gatehouse.upstream;

/** Why a backend was ejected from balancing: the {@code reason} label of the ejection counter. */
public enum EjectionReason {
    /** Outlier detection: {@code consecutive_failures} failed calls in a row. */
    CONSECUTIVE_FAILURES("consecutive_failures"),
    /** A connection to it could not be opened (refused, timed out, unresolvable). */
    CONNECT_FAILURE("connect_failure");

    private final String label;

    EjectionReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
