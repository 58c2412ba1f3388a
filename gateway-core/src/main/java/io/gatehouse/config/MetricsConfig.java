package io.gatehouse.config;

/**
 * {@code metrics:}.
 *
 * @param enabled requests are counted and timed, and {@code /metrics} serves them; false records nothing per request
 *                (for measuring what metrics cost) and {@code /metrics} answers 404
 */
public record MetricsConfig(boolean enabled) {
    public static final MetricsConfig ON = new MetricsConfig(true);
}
