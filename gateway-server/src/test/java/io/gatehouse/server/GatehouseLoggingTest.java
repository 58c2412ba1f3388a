package io.gatehouse.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logging configured in code ({@link GatehouseLogging}) against the {@code logback.xml} it replaced (kept as
 * {@code logback-before.xml}): the same lines on stderr, the same access-log switch and the same java.util.logging
 * levels, for each way the two variables can be set.
 */
class GatehouseLoggingTest {
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    @Test
    void eventsAreOneLineEachOnStderrAtInfoByDefault() {
        LoggerContext context = inCode(Map.of());
        context.getLogger("io.gatehouse.server.GatewayServer").info("listening on {}", 8081);
        context.getLogger("io.gatehouse.server.GatewayServer").debug("a debug detail");
        context.getLogger("io.netty.channel.Nio").info("netty info");
        context.getLogger("io.netty.channel.Nio").warn("netty warning");
        context.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter")
                .error("Failed to export 3 spans", new java.net.ConnectException("Connection refused"));
        context.stop();

        List<String> lines = stderr.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).matches(TIMESTAMP + " INFO  i\\.g\\.s\\.GatewayServer - listening on 8081");
        assertThat(lines).map(line -> line.replaceFirst("^" + TIMESTAMP + " ", "")).containsExactly(
                "INFO  i.g.s.GatewayServer - listening on 8081",
                "WARN  i.netty.channel.Nio - netty warning",
                "ERROR i.o.e.i.h.HttpExporter - Failed to export 3 spans",
                "java.net.ConnectException: Connection refused"); // OpenTelemetry's: no stack trace
    }

    @ParameterizedTest
    @MethodSource("variables")
    void matchesTheXmlConfigurationItReplaced(Map<String, String> variables) throws JoranException, IOException {
        Observed before = observe(fromXml(variables));
        Observed after = observe(inCode(variables));

        assertThat(after).isEqualTo(before);
    }

    static Stream<Map<String, String>> variables() {
        return Stream.of(
                Map.of(),
                Map.of(GatehouseLogging.LOG_LEVEL, "WARN"),
                Map.of(GatehouseLogging.LOG_LEVEL, "debug", GatehouseLogging.ACCESS_LOG_LEVEL, "OFF"),
                Map.of(GatehouseLogging.LOG_LEVEL, "ERROR", GatehouseLogging.ACCESS_LOG_LEVEL, "INHERITED"),
                Map.of(GatehouseLogging.LOG_LEVEL, "INHERITED", GatehouseLogging.ACCESS_LOG_LEVEL, "no-such-level"),
                Map.of(GatehouseLogging.LOG_LEVEL, " ", GatehouseLogging.ACCESS_LOG_LEVEL, "warn"));
    }

    @Test
    void aLogbackConfigurationFileTakesOver() {
        LoggerContext context = newContext();
        GatehouseLogging logging = new GatehouseLogging(Map.of("logback.configurationFile", "/etc/my-logback.xml")::get);

        assertThat(logging.configure(context)).isEqualTo(GatehouseLogging.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger("ROOT").iteratorForAppenders().hasNext()).isFalse();
    }

    /** What a user can see of a configuration: its stderr lines, the access-log switch, JUL's levels. */
    private record Observed(String stderr, boolean accessLogOn, List<String> julLevels) {}

    private Observed observe(LoggerContext context) {
        // Frames differ by the test's line numbers: the exception's first line is enough to compare.
        String lines = logSampleEvents(context).replaceAll("(?m)^" + TIMESTAMP, "<time>")
                .replaceAll("(?m)^\tat .*\n", "");
        boolean accessLogOn = context.getLogger(GatehouseLogging.ACCESS_LOGGER).isInfoEnabled();
        List<String> julLevels = new ArrayList<>();
        for (String name : List.of("", "io.opentelemetry.exporter", "io.netty.util", "io.gatehouse.proxy")) {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
            for (java.util.logging.Level level : List.of(java.util.logging.Level.FINE, java.util.logging.Level.INFO,
                    java.util.logging.Level.WARNING)) {
                julLevels.add(name + " " + level + " " + jul.isLoggable(level));
            }
        }
        context.stop();
        return new Observed(lines, accessLogOn, julLevels);
    }

    private String logSampleEvents(LoggerContext context) {
        stderr.reset();
        context.getLogger("io.gatehouse.server.GatewayServer").info("listening on {}", 8081);
        context.getLogger("io.gatehouse.server.GatewayServer").debug("a debug detail");
        context.getLogger("io.gatehouse.server.GatewayServer").warn("a backend is down");
        context.getLogger("io.gatehouse.server.GatewayServer").error("failed", new IllegalStateException("why"));
        context.getLogger("io.netty.channel.Nio").info("netty info");
        context.getLogger("io.netty.channel.Nio").warn("netty warning");
        context.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter")
                .error("Failed to export 3 spans", new java.net.ConnectException("Connection refused"));
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private static LoggerContext inCode(Map<String, String> variables) {
        LoggerContext context = newContext();
        new GatehouseLogging(new HashMap<>(variables)::get).configure(context);
        return context;
    }

    private static LoggerContext fromXml(Map<String, String> variables) throws JoranException, IOException {
        LoggerContext context = newContext();
        variables.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try (var xml = GatehouseLoggingTest.class.getResourceAsStream("logback-before.xml")) {
            configurator.doConfigure(xml);
        }
        return context;
    }

    /** A context of its own, as SLF4J's would be (which gives it the MDC adapter events read). */
    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }
}
