package io.gatehouse.reload;

import ch.qos.logback.classic.Level;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.reload.ReloadOutcome.Result;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigReloaderTest {
    private static final Map<String, String> ENV = Map.of("USERS", "http://127.0.0.1:9001");
    private static final String RUNNING = """
            server: {port: 8081}
            routes:
              - id: users
                match: {path_prefix: /users}
                upstream: ${USERS}
            """;
    private static final String WITH_ORDERS = RUNNING + """
              - id: orders
                match: {path_prefix: /orders}
                upstream: http://127.0.0.1:9002
            """;
    private static final String INVALID = RUNNING.replace("path_prefix: /users", "path_prefix: users");
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    /** Every read of the nano clock advances it by this: each reload takes exactly this long. */
    private static final Duration TICK = Duration.ofMillis(3);

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final MemoryConfigSource source = new MemoryConfigSource(RUNNING);
    private final RecordingInstaller installer = new RecordingInstaller(ConfigLoader.parse(RUNNING, ENV));
    private final AtomicLong nanos = new AtomicLong();
    private final ConfigReloader reloader = new ConfigReloader(source, installer, RUNNING, ENV, metrics,
            Clock.fixed(NOW, ZoneOffset.UTC), () -> nanos.addAndGet(TICK.toNanos()));

    @AfterEach
    void close() {
        reloader.close();
    }

    private double reloads(String result) {
        return PrometheusText.value(metrics.scrape(), "gatehouse_config_reloads_total", "result=\"" + result + "\"");
    }

    @Test
    void aValidChangeIsAppliedCountedAndKept() throws Exception {
        source.set(WITH_ORDERS);

        ReloadOutcome outcome = reloader.reload("signal").get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.APPLIED);
        assertThat(outcome.trigger()).isEqualTo("signal");
        assertThat(outcome.time()).isEqualTo(NOW);
        assertThat(outcome.duration()).isEqualTo(TICK);
        assertThat(outcome.diff().summary()).isEqualTo("routes: +orders; pools: +route:orders");
        assertThat(installer.installed()).containsExactly(ConfigLoader.parse(WITH_ORDERS, ENV));
        assertThat(installer.current().routes()).extracting(r -> r.id()).containsExactly("users", "orders");
        assertThat(reloads("applied")).isEqualTo(1.0);
        assertThat(reloads("rejected")).isZero();
        assertThat(reloader.history()).containsExactly(outcome);
    }

    @Test
    void anInvalidConfigIsRejectedWithPathPreciseErrorsLoggedOnceAndTheRunningOneStays() throws Exception {
        GatewayConfig running = installer.current();
        source.set(INVALID);

        try (CapturedLogs logs = CapturedLogs.of(ConfigReloader.class)) {
            ReloadOutcome outcome = reloader.reload("file").get(10, TimeUnit.SECONDS);

            assertThat(outcome.result()).isEqualTo(Result.REJECTED);
            assertThat(outcome.errors()).singleElement().asString()
                    .startsWith("routes[0].match.path_prefix: \"users\" (expected");
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .startsWith("config reload rejected (trigger file); the running config stays:\n  routes[0].match");
        }
        assertThat(installer.installed()).isEmpty();
        assertThat(installer.current()).isSameAs(running);
        assertThat(reloads("rejected")).isEqualTo(1.0);
    }

    @Test
    void syntaxErrorsNameTheSource() throws Exception {
        source.set("routes: [\n");

        ReloadOutcome outcome = reloader.reload("file").get(10, TimeUnit.SECONDS);

        assertThat(outcome.errors()).singleElement().asString().startsWith("memory.yml:");
    }

    @Test
    void theListenerAddressCannotChangeWhileRunning() throws Exception {
        source.set(WITH_ORDERS.replace("port: 8081", "port: 9090").replace("server: {", "server: {host: 127.0.0.1, "));

        ReloadOutcome outcome = reloader.reload("signal").get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).containsExactly(
                "server.host: 127.0.0.1 cannot change while running (expected: 0.0.0.0, the running value;"
                        + " restart Gatehouse to change it)",
                "server.port: 9090 cannot change while running (expected: 8081, the running value;"
                        + " restart Gatehouse to change it)");
        assertThat(installer.installed()).isEmpty();
    }

    @Test
    void theAdminListenerCannotComeGoOrMoveWhileRunning() throws Exception {
        String admin = "admin: {address: \"127.0.0.1:9901\", allow_unauthenticated_loopback: true}\n";
        source.set(admin + WITH_ORDERS);

        ReloadOutcome outcome = reloader.reload("signal").get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).containsExactly("admin.address: 127.0.0.1:9901 cannot change while running"
                + " (expected: none (no admin API), the running value; restart Gatehouse to change it)");
        assertThat(installer.installed()).isEmpty();
    }

    @Test
    void theTlsListenerCannotComeWhileRunning() throws Exception {
        source.set(WITH_ORDERS.replace("server: {", "server: {tls: {port: 8443, certificates: [{cert: /a.pem,"
                + " key: /a.key}]}, "));

        ReloadOutcome outcome = reloader.reload("signal").get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).containsExactly("server.tls.port: 8443 cannot change while running"
                + " (expected: none (no TLS listener), the running value; restart Gatehouse to change it)");
        assertThat(installer.installed()).isEmpty();
    }

    @Test
    void metricsCannotBeTurnedOffWhileRunning() throws Exception {
        source.set("metrics: {enabled: false}\n" + WITH_ORDERS);

        ReloadOutcome outcome = reloader.reload("signal").get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).containsExactly("metrics.enabled: false cannot change while running"
                + " (expected: true, the running value; restart Gatehouse to change it)");
        assertThat(installer.installed()).isEmpty();
    }

    @Test
    void editsChangeTheRunningTextOneAfterAnother() throws Exception {
        String withPayments = WITH_ORDERS + """
                  - id: payments
                    match: {path_prefix: /payments}
                    upstream: http://127.0.0.1:9003
                """;
        reloader.apply(WITH_ORDERS, "admin", false).get(10, TimeUnit.SECONDS);

        ReloadOutcome outcome = reloader.edit(text -> {
            assertThat(text).isEqualTo(WITH_ORDERS); // the applied change, though the source was never written
            return withPayments;
        }, "admin", true).get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.APPLIED);
        assertThat(outcome.diff().summary()).startsWith("routes: +payments");
        assertThat(source.writes()).containsExactly(withPayments);
        assertThat(reloader.runningText().get(10, TimeUnit.SECONDS)).isEqualTo(withPayments);
    }

    @Test
    void aRejectedOrFailedEditLeavesTheRunningText() throws Exception {
        assertThat(reloader.edit(text -> INVALID, "admin", false).get(10, TimeUnit.SECONDS).result())
                .isEqualTo(Result.REJECTED);
        IllegalStateException refusal = new IllegalStateException("no such route");
        assertThat(reloader.edit(text -> {
            throw refusal;
        }, "admin", false)).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                .withCause(refusal);

        assertThat(reloader.runningText().get(10, TimeUnit.SECONDS)).isEqualTo(RUNNING);
        assertThat(installer.installed()).isEmpty();
    }

    @Test
    void aDocumentThatMeansTheSameIsUnchangedAndInstallsNothing() throws Exception {
        source.set("# reformatted\nroutes:\n  - upstream: ${USERS}\n    id: users\n    match: {path_prefix: \"/users\"}\n"
                + "server:\n  port: 8081\n");

        ReloadOutcome outcome = reloader.reload("signal").get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.UNCHANGED);
        assertThat(outcome.diff().isEmpty()).isTrue();
        assertThat(installer.installed()).isEmpty();
        assertThat(reloads("unchanged")).isEqualTo(1.0);
    }

    @Test
    void whatTheInstallerRefusesIsRejected() throws Exception {
        installer.refuseNext(new ConfigException("pools.route:orders: cannot compile (expected: ...)"));
        source.set(WITH_ORDERS);

        ReloadOutcome outcome = reloader.reload("signal").get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).containsExactly("pools.route:orders: cannot compile (expected: ...)");
        assertThat(installer.current().routes()).hasSize(1);
    }

    @Test
    void anUnreadableSourceIsRejected() throws Exception {
        source.failReads("memory.yml: cannot read config file: permission denied");

        ReloadOutcome outcome = reloader.reload("signal").get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).containsExactly("memory.yml: cannot read config file: permission denied");
    }

    @Test
    void validateReturnsTheDiffOrTheErrorsAndChangesNothing() throws Exception {
        Validation valid = reloader.validate(WITH_ORDERS).get(10, TimeUnit.SECONDS);
        Validation invalid = reloader.validate(INVALID).get(10, TimeUnit.SECONDS);

        assertThat(valid.valid()).isTrue();
        assertThat(valid.diff().routes().added()).containsExactly("orders");
        assertThat(valid.toJson().get("summary").asText()).isEqualTo("routes: +orders; pools: +route:orders");
        assertThat(invalid.valid()).isFalse();
        assertThat(invalid.errors()).singleElement().asString().startsWith("routes[0].match.path_prefix:");
        assertThat(invalid.toJson().get("errors")).hasSize(1);
        assertThat(installer.installed()).isEmpty();
        assertThat(reloader.history()).isEmpty();
        assertThat(reloads("applied") + reloads("rejected") + reloads("unchanged")).isZero();
    }

    @Test
    void applyWithPersistWritesTheSourceAfterApplying() throws Exception {
        ReloadOutcome outcome = reloader.apply(WITH_ORDERS, "admin", true).get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.APPLIED);
        assertThat(source.writes()).containsExactly(WITH_ORDERS);
    }

    @Test
    void applyWithoutPersistLeavesTheSource() throws Exception {
        reloader.apply(WITH_ORDERS, "admin", false).get(10, TimeUnit.SECONDS);

        assertThat(installer.installed()).hasSize(1);
        assertThat(source.writes()).isEmpty();
    }

    @Test
    void aRejectedApplyIsNotPersisted() throws Exception {
        ReloadOutcome outcome = reloader.apply(INVALID, "admin", true).get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errors()).singleElement().asString().startsWith("routes[0].match.path_prefix:");
        assertThat(source.writes()).isEmpty();
    }

    @Test
    void aFailedWriteLeavesTheChangeAppliedAndSaysItWasNotPersisted() throws Exception {
        source.failWrites("memory.yml: cannot write config file: read-only file system");

        ReloadOutcome outcome = reloader.apply(WITH_ORDERS, "admin", true).get(10, TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(Result.APPLIED);
        assertThat(outcome.errors()).containsExactly("memory.yml: cannot write config file: read-only file system");
        assertThat(installer.installed()).hasSize(1);
    }

    @Test
    void aWatchEventWithTheSameTextReloadsNothing() throws Exception {
        reloader.sourceChanged("file");
        source.set(WITH_ORDERS);
        reloader.sourceChanged("file");
        reloader.sourceChanged("file"); // spurious: the text is what the previous one applied

        ReloadOutcome last = reloader.reload("barrier").get(10, TimeUnit.SECONDS);

        assertThat(reloader.history()).extracting(ReloadOutcome::trigger, ReloadOutcome::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("barrier", Result.UNCHANGED),
                        org.assertj.core.groups.Tuple.tuple("file", Result.APPLIED));
        assertThat(last.result()).isEqualTo(Result.UNCHANGED);
    }

    @Test
    void thePersistedDocumentComingBackFromTheWatchIsNotAReload() throws Exception {
        reloader.apply(WITH_ORDERS, "admin", true).get(10, TimeUnit.SECONDS);

        reloader.sourceChanged("file");
        reloader.reload("barrier").get(10, TimeUnit.SECONDS);

        assertThat(reloader.history()).extracting(ReloadOutcome::trigger).containsExactly("barrier", "admin");
    }

    @Test
    void historyKeepsTheLast32NewestFirst() throws Exception {
        for (int i = 0; i < ConfigReloader.HISTORY_SIZE + 8; i++) {
            reloader.apply(i % 2 == 0 ? WITH_ORDERS : RUNNING, "admin-" + i, false);
        }
        reloader.reload("last").get(10, TimeUnit.SECONDS);

        List<ReloadOutcome> history = reloader.history();
        assertThat(history).hasSize(ConfigReloader.HISTORY_SIZE);
        assertThat(history.get(0).trigger()).isEqualTo("last");
        assertThat(history.get(1).trigger()).isEqualTo("admin-39");
        assertThat(history.get(31).trigger()).isEqualTo("admin-9");
    }

    @Test
    void reloadsRunOneAtATimeOnTheReloadThread() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger mostConcurrent = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConfigInstaller slow = new ConfigInstaller() {
            private volatile GatewayConfig current = installer.current();

            @Override
            public GatewayConfig current() {
                return current;
            }

            @Override
            public void install(GatewayConfig next) {
                mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                threads.add(Thread.currentThread().getName());
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                current = next;
                concurrent.decrementAndGet();
            }
        };
        try (ConfigReloader serial = new ConfigReloader(source, slow, RUNNING, ENV, metrics)) {
            var first = serial.apply(WITH_ORDERS, "a", false);
            var second = serial.apply(RUNNING, "b", false);
            var third = serial.apply(WITH_ORDERS, "c", false);
            release.countDown();

            assertThat(List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS),
                    third.get(10, TimeUnit.SECONDS))).extracting(ReloadOutcome::result).containsOnly(Result.APPLIED);
        }
        assertThat(mostConcurrent).hasValue(1);
        assertThat(threads).containsOnly("gatehouse-reload").hasSize(3);
    }

    @Test
    void outcomesRenderToJson() throws Exception {
        ReloadOutcome outcome = reloader.apply(WITH_ORDERS, "admin", false).get(10, TimeUnit.SECONDS);

        var json = outcome.toJson();

        assertThat(json.get("time").asText()).isEqualTo("2026-12-02T08:00:00Z");
        assertThat(json.get("trigger").asText()).isEqualTo("admin");
        assertThat(json.get("result").asText()).isEqualTo("applied");
        assertThat(json.get("errors")).isEmpty();
        assertThat(json.get("diff").get("routes").get("added").get(0).asText()).isEqualTo("orders");
        assertThat(json.get("duration_ms").asDouble()).isEqualTo(3.0);
    }

    @Test
    void closedReloaderRefusesWork() {
        reloader.close();

        assertThat(reloader.reload("signal")).isCompletedExceptionally();
    }
}
