package io.gatehouse.metrics;

import io.gatehouse.config.MetricsConfig;
import io.gatehouse.context.RequestContext;
import io.gatehouse.log.AccessLog;
import io.gatehouse.resilience.CircuitBreaker;
import io.gatehouse.tracing.TracingCounters;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Every meter the gateway publishes, with its name and tags, in one place (the backends' in {@link BackendMeters},
 * the WebSockets' in {@link WebSocketMeters}).
 * Labels are route ids, pool names and backend addresses, never raw paths, so cardinality is bounded by the
 * configuration. Per-route meters are resolved once ({@link #forRoute}) and reused for every request.
 *
 * <p>With {@code metrics.enabled: false} nothing is recorded: route meters record nothing, every other meter is a
 * no-op, and there is nothing to scrape. The setting is fixed for the gateway's life.
 */
public final class GatewayMetrics implements AutoCloseable {
    /** The route label of requests that matched no route. */
    public static final String NO_ROUTE = "none";

    static final String REQUESTS = "gatehouse.requests";
    static final String RESPONSES_ABORTED = "gatehouse.responses.aborted";
    static final String REQUEST_DURATION = "gatehouse.request.duration";
    static final String UPSTREAM_DURATION = "gatehouse.upstream.duration";
    static final String IN_FLIGHT = "gatehouse.requests.in.flight";
    static final String CLIENT_CONNECTIONS = "gatehouse.client.connections";
    static final String ACCESS_LOG_DROPPED = "gatehouse.access.log.dropped";
    static final String AUTH_REJECTIONS = "gatehouse.auth.rejections";
    static final String CONSUMER_REQUESTS = "gatehouse.consumer.requests";
    static final String RATE_LIMIT_DECISIONS = "gatehouse.rate.limit.decisions";
    static final String RATE_LIMIT_FALLBACKS = "gatehouse.rate.limit.redis.fallbacks";
    static final String BULKHEAD_REJECTIONS = "gatehouse.bulkhead.rejections";
    static final String RETRIES = "gatehouse.retries";
    static final String RETRY_BUDGET_EXHAUSTED = "gatehouse.retry.budget.exhausted";
    static final String BREAKER_STATE = "gatehouse.circuit.breaker.state";
    static final String BREAKER_TRANSITIONS = "gatehouse.circuit.breaker.transitions";
    static final String OUTLIER_EJECTIONS = "gatehouse.outlier.ejections";
    static final String BACKEND_EJECTED = "gatehouse.backend.ejected";
    static final String ROUTE_BREAKER_STATE = "gatehouse.route.circuit.breaker.state";
    static final String ROUTE_BREAKER_TRANSITIONS = "gatehouse.route.circuit.breaker.transitions";
    static final String CLIENT_TIMEOUTS = "gatehouse.client.timeouts";
    static final String UPSTREAM_TLS_FAILURES = "gatehouse.upstream.tls.failures";
    static final String CONFIG_RELOADS = "gatehouse.config.reloads";
    static final String TRACING_SPANS = "gatehouse.tracing.spans";

    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private final boolean enabled;
    private final TraceExemplars exemplars = new TraceExemplars();
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus,
            Clock.SYSTEM, exemplars);
    /** The JVM and process meters, or null (metrics disabled, or a part tested alone). */
    private final JvmMeters jvm;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger clientConnections = new AtomicInteger();
    /** The trail of the compile under way, if any (installs are serialized: at most one at a time). */
    private volatile MeterTrail trail;
    private final MeterIndex index = new MeterIndex(registry);
    private final BackendGauges backendGauges = new BackendGauges();
    private final BackendMeters backends = new BackendMeters(registry, index, backendGauges);
    private final Map<String, TlsCertificateMeters> tlsCertificates = new ConcurrentHashMap<>();

    /** The gateway's own meters, recording, without the JVM and process ones: for parts tested or benchmarked alone. */
    public GatewayMetrics() {
        this(true, false);
    }

    private GatewayMetrics(boolean enabled, boolean withJvm) {
        this.enabled = enabled;
        if (!enabled) {
            registry.config().meterFilter(MeterFilter.deny()); // before any meter: every one is a no-op
        }
        registry.config().onMeterAdded(meter -> {
            MeterTrail current = trail;
            if (current != null) {
                current.added(meter);
            }
        });
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("Requests received and not yet answered in full").register(registry);
        Gauge.builder(CLIENT_CONNECTIONS, clientConnections, AtomicInteger::get)
                .description("Open client connections").register(registry);
        if (enabled) {
            prometheus.register(backendGauges);
        }
        this.jvm = withJvm ? new JvmMeters(registry) : null;
    }

    /** The meters of a running gateway: its own with the JVM and process ones, or none when {@code config} says so. */
    public static GatewayMetrics of(MetricsConfig config) {
        return new GatewayMetrics(config.enabled(), config.enabled());
    }

    /** False with {@code metrics.enabled: false}: nothing is recorded and {@code /metrics} is not served. */
    public boolean enabled() {
        return enabled;
    }

    /** Returns once the JVM and process meters, which {@link #of} binds on a thread of their own, are bound. */
    public void awaitJvmMeters() throws InterruptedException {
        if (jvm != null) {
            jvm.awaitBound();
        }
    }

    /** Stops what watches the JVM (the GC notification listener); the meters stay readable. */
    @Override
    public void close() {
        if (jvm != null) {
            jvm.close();
        }
    }

    /** The meters of the pools' backends. */
    public BackendMeters backends() {
        return backends;
    }

    /** The registry itself, for the meters of this package kept elsewhere and for tests in this package. */
    MeterRegistry registry() {
        return registry;
    }

    /** Counts the lines {@code accessLog} drops: the access log of the gateway these metrics belong to. */
    public void registerAccessLog(AccessLog accessLog) {
        FunctionCounter.builder(ACCESS_LOG_DROPPED, accessLog, AccessLog::droppedLines)
                .description("Access-log lines dropped because the writer could not keep up").register(registry);
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter, without exemplars. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * The exposition in {@code contentType}: {@link Exposition#OPEN_METRICS} carries the latency histograms'
     * trace-id exemplars.
     */
    public String scrape(Exposition contentType) {
        return registry.scrape(contentType.contentType());
    }

    /**
     * Records the time {@code request} waited for its upstream's response head into {@code timer} (one of
     * {@link #upstreamTimer}; registered now if this is its first), with its trace as a candidate exemplar.
     */
    public void recordUpstream(UpstreamTimer timer, RequestContext request) {
        Timer registered = timer.get();
        if (registered != null) {
            exemplars.record(registered, request.upstreamNanos(), request);
        }
    }

    /** Records {@code nanos} into a route's latency {@code timer}, with {@code request}'s trace as a candidate exemplar. */
    void recordLatency(Timer timer, long nanos, RequestContext request) {
        exemplars.record(timer, nanos, request);
    }

    /**
     * Starts recording the meters the calling thread adds, until the trail is closed; a compile that fails
     * {@linkplain MeterTrail#discard discards} them. One trail at a time (installs are serialized).
     */
    public MeterTrail trail() {
        MeterTrail started = new MeterTrail(registry, () -> trail = null);
        trail = started;
        return started;
    }

    /**
     * Removes every series of what a reload removed (routes, pools, backends, rate-limit policies, consumers), at a
     * cost in proportion to what it removed. Requests of them still in flight count into meters no scrape shows
     * any more: once a route or backend is gone, its numbers no longer matter, and a series that outlived it would
     * report something that does not exist. Retire the removed routes' {@link RouteMeters} first.
     */
    public void forget(StaleSeries stale) {
        stale.routes().forEach(route -> remove(index.tagged(MeterIndex.ROUTE, route), meter -> true));
        stale.pools().forEach(pool -> remove(index.tagged(MeterIndex.POOL, pool), meter -> true));
        stale.backends().forEach((pool, addresses) -> remove(index.tagged(MeterIndex.POOL, pool),
                meter -> addresses.contains(meter.getId().getTag("backend"))));
        stale.policies().forEach(policy -> remove(index.tagged(MeterIndex.POLICY, policy), meter -> true));
        stale.consumers().forEach(consumer -> remove(index.tagged(MeterIndex.CONSUMER, consumer), meter -> true));
    }

    /** The meters of one route, each registered on its first use; with metrics disabled, ones that record nothing. */
    public RouteMeters forRoute(String routeId) {
        return enabled ? new RouteMeters(this, routeId) : RouteMeters.OFF;
    }

    Timer requestDuration(String routeId) {
        return Timer.builder(REQUEST_DURATION).tag("route", routeId)
                .description("Time from request head to the end of the response")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    Counter responsesAborted(String routeId) {
        return Counter.builder(RESPONSES_ABORTED).tag("route", routeId)
                .description("Responses cut off after their head went out (the backend broke off, or the client left)")
                .register(registry);
    }

    /** The upstream latency histogram of one pool, registered with the pool's first response. */
    public UpstreamTimer upstreamTimer(String poolName) {
        return new UpstreamTimer(() -> Timer.builder(UPSTREAM_DURATION).tag("pool", poolName)
                .description("Time from sending a request upstream to its response headers")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
    }

    /** Config reloads by outcome: {@code applied}, {@code rejected} or {@code unchanged}. */
    public Counter configReloads(String result) {
        return Counter.builder(CONFIG_RELOADS).tag("result", result)
                .description("Config reloads by outcome (applied, rejected, unchanged)").register(registry);
    }

    /**
     * Unregisters the gauges of the route breakers a reload {@code replaced}, and the gauges and transition
     * counters of the routes that no longer have one ({@code dropped}).
     */
    public void forgetRouteBreakers(Set<String> replaced, Set<String> dropped) {
        replaced.forEach(route -> remove(index.tagged(MeterIndex.ROUTE, route),
                meter -> ROUTE_BREAKER_STATE.equals(meter.getId().getName())));
        dropped.forEach(route -> remove(index.tagged(MeterIndex.ROUTE, route),
                meter -> ROUTE_BREAKER_STATE.equals(meter.getId().getName())
                        || ROUTE_BREAKER_TRANSITIONS.equals(meter.getId().getName())));
    }

    /**
     * Unregisters the series a route kept by a reload no longer has: its retries for {@code retryReasons} (no longer
     * in its {@code retry.on}), and with {@code routeBulkhead} the rejections of its own bulkhead (it has none now).
     */
    public void forgetRouteSeries(String routeId, Set<String> retryReasons, boolean routeBulkhead) {
        remove(index.tagged(MeterIndex.ROUTE, routeId), meter -> {
            Meter.Id id = meter.getId();
            return RETRIES.equals(id.getName()) && retryReasons.contains(id.getTag("reason"))
                    || routeBulkhead && BULKHEAD_REJECTIONS.equals(id.getName()) && "route".equals(id.getTag("scope"));
        });
    }

    private void remove(Set<Meter> meters, Predicate<Meter> which) {
        for (Meter meter : meters) {
            if (which.test(meter)) {
                registry.remove(meter);
            }
        }
    }

    /** Requests the security chain refused, by reason (a fixed set such as invalid_token or ip_denied). */
    public Counter authRejections(String reason) {
        return Counter.builder(AUTH_REJECTIONS).tag("reason", reason)
                .description("Requests refused by the security chain, by reason").register(registry);
    }

    /** Requests admitted with an API key, by consumer id (bounded by the configured keys). */
    public Counter consumerRequests(String consumerId) {
        return Counter.builder(CONSUMER_REQUESTS).tag("consumer", consumerId)
                .description("Requests admitted with an API key, by consumer").register(registry);
    }

    /** Rate-limit decisions of one policy; {@code outcome} is allowed or limited. */
    public Counter rateLimitDecisions(String policyId, String outcome) {
        return Counter.builder(RATE_LIMIT_DECISIONS).tag("policy", policyId).tag("outcome", outcome)
                .description("Rate-limit decisions, by policy and outcome").register(registry);
    }

    /** Rate-limit checks Redis did not answer in time, by what was done instead (allow or deny). */
    public Counter rateLimitFallbacks(String onError) {
        return Counter.builder(RATE_LIMIT_FALLBACKS).tag("on_error", onError)
                .description("Rate-limit checks Redis did not answer, by the on_error policy applied").register(registry);
    }

    /**
     * Requests refused because a bulkhead was full: {@code scope} route (the route's max_concurrent_requests) or
     * backend (every backend of the pool at its max_concurrent_requests).
     */
    public Counter bulkheadRejections(String routeId, String scope) {
        return Counter.builder(BULKHEAD_REJECTIONS).tag("route", routeId).tag("scope", scope)
                .description("Requests refused because max_concurrent_requests were in flight, by route and scope")
                .register(registry);
    }

    /** Retries of one route for one reason (a retry.on condition name). */
    public Counter retries(String routeId, String reason) {
        return Counter.builder(RETRIES).tag("route", routeId).tag("reason", reason)
                .description("Attempts retried, by route and the failure that caused the retry").register(registry);
    }

    /** Retries a route's policy allowed but its budget refused. */
    Counter retryBudgetExhausted(String routeId) {
        return Counter.builder(RETRY_BUDGET_EXHAUSTED).tag("route", routeId)
                .description("Retries not made because the route's retry budget was spent").register(registry);
    }

    /** Counts the transitions of a route's own breaker; every series exists (at 0) from the start. */
    public CircuitBreaker.Listener routeBreakerTransitions(String routeId) {
        return RouteBreakerMeters.transitions(registry, routeId);
    }

    /** Publishes the state of a route's own breaker. */
    public void registerRouteBreaker(String routeId, CircuitBreaker breaker) {
        RouteBreakerMeters.registerState(registry, routeId, breaker);
    }

    /** The client timeout counters, registered here once so that every kind exists (at 0) from the start. */
    public ClientTimeoutCounters clientTimeouts() {
        return new ClientTimeoutCounters(clientTimeout("header"), clientTimeout("body"), clientTimeout("send"),
                clientTimeout("discard"));
    }

    /** Failed TLS connections to backends with {@code reason} (a {@code TlsFailure} label); registered at start. */
    public Counter upstreamTlsFailures(String reason) {
        return Counter.builder(UPSTREAM_TLS_FAILURES).tag("reason", reason)
                .description("TLS connections to backends that failed, by the check that failed").register(registry);
    }

    private Counter clientTimeout(String kind) {
        return Counter.builder(CLIENT_TIMEOUTS).tag("kind", kind)
                .description("Client connections closed because the client was too slow, by what was awaited")
                .register(registry);
    }

    /** The HTTPS listener's handshake outcomes. */
    public TlsHandshakeCounters tlsHandshakes() {
        return new TlsHandshakeCounters(registry);
    }

    /**
     * The expiry gauge and reload counters of one TLS certificate entry ({@code server.tls.certificates}); the same
     * ones for the same name, so that certificates loaded again keep their counts and the gauge follows them.
     */
    public TlsCertificateMeters tlsCertificate(String name) {
        return tlsCertificates.computeIfAbsent(name, n -> new TlsCertificateMeters(registry, n));
    }

    /** What became of sampled spans, registered once so that each outcome exists (at 0) from the start. */
    public TracingCounters tracingCounters() {
        return new TracingCounters(
                tracingSpans("exported", "Sampled spans the OTLP receiver accepted"),
                tracingSpans("failed", "Sampled spans in export batches that failed (receiver down or refusing)"),
                tracingSpans("dropped", "Sampled spans dropped because tracing.exporter.queue_size spans were waiting"));
    }

    private Counter tracingSpans(String outcome, String description) {
        return Counter.builder(TRACING_SPANS + '.' + outcome).description(description).register(registry);
    }

    public void requestStarted() {
        if (enabled) {
            inFlight.incrementAndGet();
        }
    }

    public void requestFinished() {
        if (enabled) {
            inFlight.decrementAndGet();
        }
    }

    public void clientConnectionOpened() {
        if (enabled) {
            clientConnections.incrementAndGet();
        }
    }

    public void clientConnectionClosed() {
        if (enabled) {
            clientConnections.decrementAndGet();
        }
    }
}
