package io.gatehouse.samples;

/**
 * Parsed command line: {@code <users|inventory> [--port N] [--name NAME]}
 * (options may also be written {@code --port=N}).
 */
record LaunchOptions(ServiceKind kind, int port, String name) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar sample-services.jar <users|inventory> [--port N] [--name NAME]",
            "  users      /users CRUD service (default port 9001)",
            "  inventory  /inventory CRUD service (default port 9002)",
            "  --port N   port to listen on, 0-65535 (0 = any free port)",
            "  --name S   name reported in X-Served-By and /healthz (default: the subcommand);",
            "             letters, digits, '.', '_' and '-', at most 64 characters");

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
            if (!option.equals("--port") && !option.equals("--name")) {
                throw new UsageException("unknown option: " + arg, false);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("missing value for " + option, false);
                }
                value = args[++i];
            }
            if (option.equals("--port")) {
                port = parsePort(value);
            } else {
                name = parseName(value);
            }
        }
        return new LaunchOptions(kind, port, name);
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
