package io.gatehouse.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Log events of one logger (and the loggers below it), collected thread-safely while a test runs. */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private CapturedLogs(Logger logger) {
        this.logger = logger;
    }

    public static CapturedLogs of(Class<?> source) {
        return capture((Logger) LoggerFactory.getLogger(source));
    }

    /** Every logger's events: for a test that asserts what is logged, not by which class. */
    public static CapturedLogs all() {
        return capture((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    }

    private static CapturedLogs capture(Logger logger) {
        CapturedLogs logs = new CapturedLogs(logger);
        logs.start();
        logs.logger.addAppender(logs);
        return logs;
    }

    @Override
    protected void append(ILoggingEvent event) {
        events.add(event);
    }

    /** Every formatted message, whatever its level. */
    public List<String> messages() {
        return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    public List<String> messages(Level level) {
        return events.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
