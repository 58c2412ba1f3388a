package io.gatehouse.tracing;

import static java.util.Objects.requireNonNull;

import io.gatehouse.config.TracingConfig;
import io.gatehouse.context.RequestContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenTelemetry SDK as one {@code tracing:} configuration sets it up: sampler, propagators, and a batch span
 * processor exporting over OTLP on its own thread through a bounded queue. A {@link io.gatehouse.proxy.GatewaySnapshot}
 * refers to it; a reload that changes {@code tracing:} starts a new one and {@linkplain #shutdown shuts} the old one
 * down. Used from every event loop; the SDK objects it holds are thread-safe.
 */
public final class GatewayTracing {
    private static final String INSTRUMENTATION_SCOPE = "io.gatehouse";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final int MAX_EXPORT_BATCH = 512;
    /** A batch goes out when it is full or this long after the last one, whichever comes first. */
    private static final Duration EXPORT_DELAY = Duration.ofSeconds(1);

    private final TracingConfig config;
    private final SdkTracerProvider provider;
    final Tracer tracer;
    final TextMapPropagator propagator;
    /** The header names the propagators write, removed from an upstream request before they inject. */
    private final AsciiString[] propagatedHeaders;

    private GatewayTracing(TracingConfig config, SdkTracerProvider provider, TextMapPropagator propagator) {
        this.config = config;
        this.provider = provider;
        this.tracer = provider.tracerBuilder(INSTRUMENTATION_SCOPE).setSchemaUrl(SemanticConventions.SCHEMA_URL)
                .build();
        this.propagator = propagator;
        this.propagatedHeaders = propagator.fields().stream().map(AsciiString::cached).toArray(AsciiString[]::new);
    }

    /**
     * The SDK for {@code config}, or {@code null} when tracing is off.
     *
     * @param exporter where spans go instead of the OTLP endpoint, kept open when this tracing shuts down (tests
     *                 pass an in-memory one); {@code null} for the endpoint of {@code config}
     */
    public static GatewayTracing start(TracingConfig config, TracingCounters counters, SpanExporter exporter) {
        requireNonNull(config, "config");
        requireNonNull(counters, "counters");
        if (!config.enabled()) {
            return null;
        }
        AtomicInteger pending = new AtomicInteger();
        SpanExporter counting = new CountingSpanExporter(exporter != null ? exporter : OtlpExporters.create(config),
                counters, pending, exporter != null);
        BatchSpanProcessor batch = BatchSpanProcessor.builder(counting)
                .setMaxQueueSize(config.queueSize())
                .setMaxExportBatchSize(Math.min(MAX_EXPORT_BATCH, config.queueSize()))
                .setExporterTimeout(config.exportTimeout())
                .setScheduleDelay(EXPORT_DELAY)
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME,
                        config.serviceName()))))
                .setSampler(sampler(config))
                .addSpanProcessor(new BoundedSpanProcessor(batch, pending, config.queueSize(), counters))
                .build();
        return new GatewayTracing(config, provider, propagator(config.propagators()));
    }

    private static Sampler sampler(TracingConfig config) {
        Sampler ratio = Sampler.traceIdRatioBased(config.ratio());
        return config.parentBased() ? Sampler.parentBased(ratio) : ratio;
    }

    private static TextMapPropagator propagator(List<TracingConfig.Propagator> names) {
        List<TextMapPropagator> propagators = new ArrayList<>(names.size());
        for (TracingConfig.Propagator name : names) {
            propagators.add(switch (name) {
                case TRACECONTEXT -> W3CTraceContextPropagator.getInstance();
                case BAGGAGE -> W3CBaggagePropagator.getInstance();
                case B3 -> B3Propagator.injectingSingleHeader();
                case B3MULTI -> B3Propagator.injectingMultiHeaders();
            });
        }
        return TextMapPropagator.composite(propagators);
    }

    public TracingConfig config() {
        return config;
    }

    /**
     * Starts the SERVER span of a request from its head ({@code null} for a request refused before its head was
     * read), its parent extracted from the head's headers, and records its ids on {@code request}.
     *
     * @param overTls the client reached the gateway over TLS (here, or at a trusted proxy in front of it)
     */
    public RequestSpan startRequest(HttpRequest head, RequestContext request, boolean overTls) {
        return RequestSpan.start(this, head, request, overTls);
    }

    /** Removes the client's headers of the configured formats from an upstream request, before injecting ours. */
    void removePropagatedHeaders(HttpHeaders headers) {
        for (AsciiString name : propagatedHeaders) {
            headers.remove(name);
        }
    }

    /**
     * Exports the spans still queued and stops the exporter, waiting at most {@code bound}. Blocks: never call it
     * on an event loop.
     */
    public void shutdown(Duration bound) {
        provider.shutdown().join(bound.toMillis(), TimeUnit.MILLISECONDS);
    }
}
