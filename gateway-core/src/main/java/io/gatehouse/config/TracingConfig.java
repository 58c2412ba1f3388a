package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@code tracing:}: OpenTelemetry traces of every request and its upstream attempts. When {@link #enabled} is false
 * nothing of the SDK is touched per request.
 *
 * @param enabled       spans are made and exported
 * @param endpoint      the OTLP receiver's base address, such as {@code http://127.0.0.1:4318}; for
 *                      {@code http/protobuf} the exporter posts to {@code <endpoint>/v1/traces}
 * @param protocol      how spans are sent
 * @param exportTimeout how long one batch export may take before it counts as failed
 * @param queueSize     spans waiting for export at most; more are dropped (and counted), never waited for
 * @param parentBased   a request that arrives with a sampled (or unsampled) parent follows its decision; only a
 *                      request without one is sampled by {@code ratio}
 * @param ratio         the share of traces sampled, 0..1
 * @param propagators   the header formats read from requests and written upstream, in order
 * @param serviceName   the {@code service.name} resource attribute
 */
public record TracingConfig(boolean enabled, URI endpoint, OtlpProtocol protocol, Duration exportTimeout,
                            int queueSize, boolean parentBased, double ratio, List<Propagator> propagators,
                            String serviceName) {
    public static final TracingConfig OFF = new TracingConfig(false, OtlpProtocol.HTTP_PROTOBUF.defaultEndpoint(),
            OtlpProtocol.HTTP_PROTOBUF, Duration.ofSeconds(10), 2048, true, 0.1,
            List.of(Propagator.TRACECONTEXT, Propagator.BAGGAGE), "gatehouse");

    public TracingConfig {
        propagators = List.copyOf(propagators);
    }

    /** How spans travel to the receiver. */
    public enum OtlpProtocol {
        HTTP_PROTOBUF("http/protobuf", 4318), GRPC("grpc", 4317);

        private final String configName;
        private final int defaultPort;

        OtlpProtocol(String configName, int defaultPort) {
            this.configName = configName;
            this.defaultPort = defaultPort;
        }

        public String configName() { return configName; }

        public URI defaultEndpoint() { return URI.create("http://127.0.0.1:" + defaultPort); }
    }

    /** Header formats for trace context: W3C {@code traceparent}, W3C {@code baggage}, Zipkin B3 single or multi. */
    public enum Propagator {
        TRACECONTEXT("tracecontext"), BAGGAGE("baggage"), B3("b3"), B3MULTI("b3multi");

        private final String configName;

        Propagator(String configName) {
            this.configName = configName;
        }

        public String configName() { return configName; }
    }
}
