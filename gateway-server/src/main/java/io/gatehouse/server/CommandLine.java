package io.gatehouse.server;

/**
 * The parsed command line of {@link Main}.
 *
 * @param configLocation where the configuration comes from: a file path or an etcd:// key (see ConfigSources)
 */
record CommandLine(String configLocation, boolean validateOnly, boolean help, boolean train) {
    static final String USAGE = """
            usage: java -jar gatehouse.jar [--config PATH] [--validate [PATH]]
              --config PATH     the YAML configuration (default: $GATEWAY_CONFIG, else ./config.yml), or the
                                etcd key holding it: etcd://HOST:PORT[,HOST:PORT]/KEY; reloaded when it
                                changes and on SIGHUP
              --validate [PATH] check the configuration and exit: 0 when valid, 1 with the errors otherwise
              --train           start with a built-in config against a loopback backend, send a few requests,
                                exit: run with -XX:ArchiveClassesAtExit=gatehouse.jsa to write a class-data
                                sharing archive that makes later starts faster (docs/operations.md)
              --help            this text""";

    static CommandLine parse(String[] args, String configFromEnv) {
        String config = null;
        boolean validate = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a path");
                    }
                    config = args[++i];
                }
                case "--validate", "-t" -> {
                    validate = true;
                    if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                        config = args[++i];
                    }
                }
                case "--help", "-h" -> {
                    return new CommandLine(null, false, true, false);
                }
                case "--train" -> {
                    if (args.length > 1) {
                        throw new IllegalArgumentException("--train runs alone: it has a configuration of its own");
                    }
                    return new CommandLine(null, false, false, true);
                }
                default -> throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"");
            }
        }
        if (config == null) {
            config = configFromEnv != null && !configFromEnv.isBlank() ? configFromEnv : "config.yml";
        }
        return new CommandLine(config, validate, false, false);
    }
}
