package io.gatehouse.metrics;

import io.netty.util.AsciiString;

/** The formats {@code /metrics} serves, chosen by the scraper's {@code Accept} header. */
public enum Exposition {
    /** The Prometheus text format 0.0.4: what a plain {@code curl} and older scrapers get. */
    PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
    /** OpenMetrics 1.0, with exemplars: what Prometheus asks for first. */
    OPEN_METRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

    private final String contentType;
    private final AsciiString header;

    Exposition(String contentType) {
        this.contentType = contentType;
        this.header = AsciiString.cached(contentType);
    }

    /** OpenMetrics when {@code accept} names {@code application/openmetrics-text}, else the Prometheus text. */
    public static Exposition accepted(String accept) {
        return accept != null && AsciiString.containsIgnoreCase(accept, "application/openmetrics-text")
                ? OPEN_METRICS : PROMETHEUS_TEXT;
    }

    String contentType() {
        return contentType;
    }

    /** The {@code Content-Type} of a response in this format. */
    public AsciiString header() {
        return header;
    }
}
