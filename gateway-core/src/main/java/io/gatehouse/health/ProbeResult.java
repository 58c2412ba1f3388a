package io.gatehouse.health;

/** The outcome of one health probe; {@code detail} says what was seen, for the log line on a state change. */
record ProbeResult(boolean healthy, String detail) {}
