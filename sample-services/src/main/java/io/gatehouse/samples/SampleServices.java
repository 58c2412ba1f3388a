package io.gatehouse.samples;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Command-line entry point of {@code sample-services.jar}:
 * {@code java -jar sample-services.jar <users|inventory> [--port N] [--name NAME] [--register etcd://...]}.
 * Exits 2 on bad arguments, 1 if the server cannot start; otherwise runs until SIGTERM/SIGINT.
 */
public final class SampleServices {

    static final int EXIT_START_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private SampleServices() {
    }

    public static void main(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (LaunchOptions.UsageException e) {
            if (e.helpRequested()) {
                System.out.println(LaunchOptions.USAGE);
                return;
            }
            usageError(System.err, e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        SampleServer server;
        try {
            server = SampleServer.start(options.kind(), options.name(), options.port());
        } catch (IOException | RuntimeException e) {
            System.err.println("error: cannot start " + options.kind().command() + " service \"" + options.name()
                    + "\": " + e.getMessage());
            System.exit(EXIT_START_FAILED);
            return;
        }
        System.out.println(startupLine(server));
        System.out.flush();
        EtcdRegistrar registrar = options.registration() == null ? null
                : EtcdRegistrar.start(options.registration(), server.name(), server.port(), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (registrar != null) {
                registrar.close(); // leave the gateways' pools before refusing connections
            }
            server.stop();
        }, server.name() + "-shutdown"));
    }

    static String startupLine(SampleServer server) {
        return server.kind().command() + " service \"" + server.name() + "\" listening on " + server.port();
    }

    private static void usageError(PrintStream err, String message) {
        err.println("error: " + message);
        err.println(LaunchOptions.USAGE);
    }
}
