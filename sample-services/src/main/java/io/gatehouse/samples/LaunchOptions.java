package io.gatehouse.samples;

import java.time.Duration;
import java.util.List;

/**
 * Parsed command line: {@code <users|inventory> [--port N] [--name NAME] [--register etcd://... [--lease-ttl S]
 * [--advertise-host H]]} (options may also be written {@code --port=N}).
 *
 * @param registration where to register in etcd, or null
 */
record LaunchOptions(ServiceKind kind, int port, String name, EtcdRegistration registration) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar sample-services.jar <users|inventory> [--port N] [--name NAME] [--register URL]",
            "  users      /users CRUD service (default port 9001)",
            "  inventory  /inventory CRUD service (default port 9002)",
            "  --port N   port to listen on, 0-65535 (0 = any free port)",
            "  --name S   name reported in X-Served-By and /healthz (default: the subcommand);",
            "             letters, digits, '.', '_' and '-', at most 64 characters",
            "  --register etcd://HOST:PORT[,HOST:PORT]/PREFIX/",
            "             register as PREFIX<host>:<port> in etcd while running, for the gateways' etcd discovery",
            "  --lease-ttl S       seconds the registration outlives a killed process, 2-3600 (default 5)",
            "  --advertise-host H  host the gateways connect to (default 127.0.0.1)");
    private static final List<String> OPTIONS = List.of("--port", "--name", "--register", "--lease-ttl",
            "--advertise-host");

    LaunchOptions(ServiceKind kind, int port, String name) {
        this(kind, port, name, null);
    }

    /** Bad command line; {@link #helpRequested()} distinguishes an explicit --help. */
    static final class UsageException extends Exception {

        private final boolean helpRequested;

        UsageException(String message, boolean helpRequested) {
            super(message, null, false, false);
            this.helpRequested = helpRequested;
        }

        boolean helpRequested() {
            return helpRequested;
        }
    }

    static LaunchOptions parse(String... args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("missing subcommand", false);
        }
        if (isHelp(args[0])) {
            throw new UsageException(null, true);
        }
        ServiceKind kind = ServiceKind.fromCommand(args[0])
                .orElseThrow(() -> new UsageException("unknown subcommand: " + args[0], false));
        int port = kind.defaultPort();
        String name = kind.command();
        String register = null;
        Duration leaseTtl = EtcdRegistration.DEFAULT_LEASE_TTL;
        String advertiseHost = EtcdRegistration.DEFAULT_ADVERTISE_HOST;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (isHelp(arg)) {
                throw new UsageException(null, true);
            }
            String option = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                option = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (!OPTIONS.contains(option)) {
                throw new UsageException("unknown option: " + arg, false);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("missing value for " + option, false);
                }
                value = args[++i];
            }
            switch (option) {
                case "--port" -> port = parsePort(value);
                case "--name" -> name = parseName(value);
                case "--register" -> register = value;
                case "--lease-ttl" -> leaseTtl = parseLeaseTtl(value);
                default -> advertiseHost = parseHost(value);
            }
        }
        return new LaunchOptions(kind, port, name, registration(register, leaseTtl, advertiseHost));
    }

    private static EtcdRegistration registration(String location, Duration leaseTtl, String advertiseHost)
            throws UsageException {
        if (location == null) {
            return null;
        }
        try {
            return EtcdRegistration.parse(location, leaseTtl, advertiseHost);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), false);
        }
    }

    private static Duration parseLeaseTtl(String value) throws UsageException {
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 2 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("invalid lease TTL: " + value + " (expected 2-3600 seconds)", false);
    }

    private static String parseHost(String value) throws UsageException {
        if (value.isEmpty() || value.contains("/") || value.contains("@") || value.contains(" ")) {
            throw new UsageException("invalid advertise host: " + value + " (expected a host name or IP address)", false);
        }
        return value;
    }

    private static boolean isHelp(String arg) {
        return arg.equals("-h") || arg.equals("--help");
    }

    private static int parsePort(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("invalid port: " + value + " (expected 0-65535)", false);
    }

    private static String parseName(String value) throws UsageException {
        if (!SampleServer.isValidName(value)) {
            throw new UsageException("invalid name: " + value, false);
        }
        return value;
    }
}
