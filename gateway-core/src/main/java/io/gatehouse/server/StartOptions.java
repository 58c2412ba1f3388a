package io.gatehouse.server;

import static java.util.Objects.requireNonNull;

import io.gatehouse.discovery.DiscoveryFactory;
import io.gatehouse.etcd.EtcdClients;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * How {@link GatewayServer#start(io.gatehouse.config.GatewayConfig, StartOptions)} runs a gateway: its event loops,
 * where finished requests are logged, the one clock everything on the upstream side reads time from, and how a pool's
 * {@code discovery} is started. Immutable; each {@code with} returns a copy.
 */
public final class StartOptions {
    private final int threads;
    private final OutputStream accessLogOut;
    private final LongSupplier nanoClock;
    private final DiscoveryFactory discoveries;
    private final EtcdClients etcdClients;
    private final SpanExporter spanExporter;

    private StartOptions(int threads, OutputStream accessLogOut, LongSupplier nanoClock,
                         DiscoveryFactory discoveries, EtcdClients etcdClients, SpanExporter spanExporter) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
        }
        this.threads = threads;
        this.accessLogOut = requireNonNull(accessLogOut, "accessLogOut");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        this.discoveries = requireNonNull(discoveries, "discoveries");
        this.etcdClients = etcdClients;
        this.spanExporter = spanExporter;
    }

    /** One event loop per processor, the access log on stdout, the system clock, the standard discovery kinds. */
    public static StartOptions defaults() {
        return new StartOptions(Runtime.getRuntime().availableProcessors(), new FileOutputStream(FileDescriptor.out),
                System::nanoTime, StandardDiscoveries.INSTANCE, null, null);
    }

    public StartOptions threads(int threads) {
        return new StartOptions(threads, accessLogOut, nanoClock, discoveries, etcdClients, spanExporter);
    }

    /**
     * Where the access-log lines are written (tests read them back this way); the gateway flushes it but never
     * closes it.
     */
    public StartOptions accessLogOut(OutputStream accessLogOut) {
        return new StartOptions(threads, accessLogOut, nanoClock, discoveries, etcdClients, spanExporter);
    }

    /**
     * What pools, breakers, ejections, retry budgets and readiness read time from, in nanoseconds with an arbitrary
     * origin; tests pass one they drive.
     */
    public StartOptions nanoClock(LongSupplier nanoClock) {
        return new StartOptions(threads, accessLogOut, nanoClock, discoveries, etcdClients, spanExporter);
    }

    /** Builds the (not yet started) discovery of a pool's {@code discovery} settings. */
    public StartOptions discoveries(DiscoveryFactory discoveries) {
        return new StartOptions(threads, accessLogOut, nanoClock, discoveries, etcdClients, spanExporter);
    }

    /**
     * The etcd clients pools' etcd discovery uses: those of an etcd config source, so that one connection serves
     * both and discovery without {@code endpoints} uses the config's cluster. The caller closes them after the
     * gateway stopped. Without this the gateway makes its own (no default cluster) and closes them itself.
     */
    public StartOptions etcdClients(EtcdClients etcdClients) {
        return new StartOptions(threads, accessLogOut, nanoClock, discoveries, requireNonNull(etcdClients, "etcdClients"),
                spanExporter);
    }

    /**
     * Where spans go when {@code tracing.enabled} is true, instead of the configured OTLP endpoint (tests pass an
     * in-memory exporter). The gateway flushes it but never shuts it down.
     */
    public StartOptions spanExporter(SpanExporter spanExporter) {
        return new StartOptions(threads, accessLogOut, nanoClock, discoveries, etcdClients,
                requireNonNull(spanExporter, "spanExporter"));
    }

    int threads() { return threads; }
    OutputStream accessLogOut() { return accessLogOut; }
    LongSupplier nanoClock() { return nanoClock; }
    DiscoveryFactory discoveries() { return discoveries; }
    /** Null when the gateway makes its own. */
    EtcdClients etcdClients() { return etcdClients; }
    /** Null: the OTLP exporter of the configuration. */
    SpanExporter spanExporter() { return spanExporter; }
}
