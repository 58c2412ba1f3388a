package io.gatehouse.server;

import ch.qos.logback.classic.LoggerContext;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.reload.ConfigSource;
import io.gatehouse.reload.ConfigSources;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar gatehouse.jar [--config PATH] [--validate [PATH]]}. The config path comes from
 * {@code --config}, else {@code GATEWAY_CONFIG}, else {@code ./config.yml}. An invalid config exits with
 * status 1 before anything binds; {@code --validate} checks a file and exits, like {@code nginx -t}. A listener
 * that cannot be bound exits with status 1 and one line naming the address and the reason, no stack trace.
 * Once running, a change of the file and SIGHUP reload the configuration (docs/reload.md).
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_INVALID = 1;
    static final int EXIT_USAGE = 2;
    /** The gateway could not start, e.g. its port is taken (the message names the address). */
    static final int EXIT_CANNOT_START = 1;

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        // Leak tracking costs on every buffer on the hot path; tests run it at paranoid, production opts in.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        // Netty calls a heap of 512 MiB or less "low memory" and then pools no buffer above 16 KiB: each larger
        // socket read and copy became a zeroed, freed direct allocation. Direct memory has its own bound
        // (-XX:MaxDirectMemorySize), so the heap size says nothing about it (docs/performance.md).
        if (System.getProperty("io.netty.allocator.lowMemory") == null) {
            System.setProperty("io.netty.allocator.lowMemory", "false");
        }
        // Libraries that log through java.util.logging (OpenTelemetry's exporters) write in the gateway's format.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        CommandLine command;
        try {
            command = CommandLine.parse(args, System.getenv("GATEWAY_CONFIG"));
        } catch (IllegalArgumentException e) {
            System.err.println("gatehouse: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (command.help()) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        if (command.train()) {
            prepareStart(); // as a real start does, so that the archive holds what it loads
            int status = TrainingRun.run();
            stopLogging();
            System.exit(status);
        }
        if (command.validateOnly()) {
            System.exit(validate(command.configLocation(), System.out, System.err));
        }
        run(command.configLocation());
    }

    /** Checks one configuration; prints {@code LOCATION: OK} or every error. Returns the exit status. */
    static int validate(String location, PrintStream out, PrintStream err) {
        try (EtcdClients clients = EtcdClients.forConfigLocation(location);
             ConfigSource source = ConfigSources.open(location, clients)) {
            ConfigLoader.load(source);
            out.println(location + ": OK");
            return EXIT_OK;
        } catch (ConfigException e) {
            printErrors(location, e, err);
            return EXIT_INVALID;
        } catch (IllegalArgumentException e) { // a malformed etcd:// location
            printErrors(location, new ConfigException(e.getMessage()), err);
            return EXIT_INVALID;
        }
    }

    private static void printErrors(String location, ConfigException e, PrintStream err) {
        err.println("gatehouse: invalid configuration " + location + ":");
        e.errors().forEach(error -> err.println("  " + error));
    }

    private static void run(String location) throws InterruptedException {
        prepareStart();
        Gatehouse gatehouse;
        try {
            gatehouse = Gatehouse.open(location, System.getenv(), StartOptions.defaults());
        } catch (ConfigException e) {
            printErrors(location, e, System.err);
            exit(EXIT_INVALID);
            return;
        } catch (Exception e) {
            // One line for the operator, never a stack trace; a listen failure already names address and reason.
            System.err.println("gatehouse: " + (e instanceof CannotListenException ? e.getMessage() : "cannot start: " + e));
            exit(EXIT_CANNOT_START);
            return;
        }
        HangupSignal.onHangup(() -> gatehouse.reloader().reload("signal"));
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and SIGINT run shutdown hooks: drain, then let the JVM exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gatehouse.shutdown();
            stopLogging();
            stopped.countDown();
        }, "gatehouse-shutdown"));
        stopped.await();
    }

    /** Configures logging (GatehouseLogging) on main while a second thread prepares what the start needs next. */
    private static void prepareStart() {
        StartupPreload preload = StartupPreload.start();
        LoggerFactory.getILoggerFactory();
        preload.loggingConfigured();
    }

    private static void exit(int status) {
        stopLogging();
        System.exit(status);
    }

    /** Flushes the asynchronous appenders so the last log lines are not lost on exit (shutdown flushes the access log). */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
