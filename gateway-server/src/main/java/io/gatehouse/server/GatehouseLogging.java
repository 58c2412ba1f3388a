package io.gatehouse.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.function.UnaryOperator;

/**
 * The gateway's logging, configured in code: Logback finds this class through {@code ServiceLoader}
 * (META-INF/services) before it would look for a {@code logback.xml}, which spares startup Logback's XML
 * configurator and the JDK's XML parser (about 600 classes).
 * <ul>
 *   <li>Gateway events: one human-readable line each on stderr, at {@code GATEHOUSE_LOG_LEVEL} (default INFO).</li>
 *   <li>{@code gatehouse.access} at {@code GATEHOUSE_ACCESS_LOG_LEVEL} (default INFO): only switches the access log
 *       on or off ({@code OFF}); its JSON lines go to stdout through Gatehouse's own writer, not through Logback.</li>
 *   <li>{@code io.netty} at WARN; {@code io.opentelemetry} at WARN with the exception's stack trace left out (a failed
 *       export is one line, and {@code gatehouse_tracing_spans_failed_total} counts them).</li>
 *   <li>java.util.logging's levels follow these (Main installs the JUL-to-SLF4J bridge), so a disabled JUL level
 *       costs nothing.</li>
 * </ul>
 * The two variables are read as Logback reads {@code ${VAR:-INFO}}: a system property of that name first, then the
 * environment. A {@code -Dlogback.configurationFile=...} still wins: this configurator then steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class GatehouseLogging extends ContextAwareBase implements Configurator {
    static final String LOG_LEVEL = "GATEHOUSE_LOG_LEVEL";
    static final String ACCESS_LOG_LEVEL = "GATEHOUSE_ACCESS_LOG_LEVEL";
    static final String ACCESS_LOGGER = "gatehouse.access";
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} - %msg%n";

    private final UnaryOperator<String> variables;

    /** The one Logback's {@code ServiceLoader} makes: variables from system properties, then the environment. */
    public GatehouseLogging() {
        this(name -> {
            String value = System.getProperty(name);
            return value != null ? value : System.getenv(name);
        });
    }

    /** @param variables looks up {@code GATEHOUSE_LOG_LEVEL} and {@code GATEHOUSE_ACCESS_LOG_LEVEL}; null if unset */
    GatehouseLogging(UnaryOperator<String> variables) {
        this.variables = variables;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (variables.apply("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LevelChangePropagator julLevels = new LevelChangePropagator();
        julLevels.setContext(context);
        julLevels.setResetJUL(true);
        context.addListener(julLevels);
        julLevels.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(stderr(context, "CONSOLE", PATTERN));
        setLevel(root, variables.apply(LOG_LEVEL));
        setLevel(context.getLogger(ACCESS_LOGGER), variables.apply(ACCESS_LOG_LEVEL));
        context.getLogger(ACCESS_LOGGER).setAdditive(false);
        context.getLogger("io.netty").setLevel(Level.WARN);

        Logger openTelemetry = context.getLogger("io.opentelemetry");
        openTelemetry.setLevel(Level.WARN);
        openTelemetry.setAdditive(false);
        openTelemetry.addAppender(stderr(context, "CONSOLE_SHORT", PATTERN + "%ex{0}"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * As Logback's XML configuration treats {@code level="${VAR:-INFO}"}: unset means INFO; blank leaves the level
     * as it is; INHERITED or NULL makes a logger other than the root follow its parent; a name Logback does not
     * know means DEBUG.
     */
    private static void setLevel(Logger logger, String value) {
        String level = value == null ? "INFO" : value;
        if (level.isBlank()) {
            return;
        }
        boolean inherit = "INHERITED".equalsIgnoreCase(level) || "NULL".equalsIgnoreCase(level);
        if (!inherit) {
            logger.setLevel(Level.toLevel(level));
        } else if (!Logger.ROOT_LOGGER_NAME.equalsIgnoreCase(logger.getName())) {
            logger.setLevel(null);
        }
    }

    private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
