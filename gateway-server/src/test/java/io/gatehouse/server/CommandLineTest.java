package io.gatehouse.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CommandLineTest {
    private static final String NO_ENV = null;

    private static CommandLine parse(String configFromEnv, String... args) {
        return CommandLine.parse(args, configFromEnv);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--config", "-c"})
    void configOptionSetsThePathAndRuns(String option) {
        CommandLine command = parse(NO_ENV, option, "/etc/gatehouse/gateway.yml");

        assertThat(command.configLocation()).isEqualTo("/etc/gatehouse/gateway.yml");
        assertThat(command.validateOnly()).isFalse();
        assertThat(command.help()).isFalse();
    }

    @Test
    void configOptionWinsOverTheEnvironment() {
        assertThat(parse("/from/env.yml", "--config", "cli.yml").configLocation()).isEqualTo("cli.yml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--validate", "-t"})
    void validateWithAPathChecksThatPath(String option) {
        CommandLine command = parse("/from/env.yml", option, "other.yml");

        assertThat(command.validateOnly()).isTrue();
        assertThat(command.configLocation()).isEqualTo("other.yml");
        assertThat(command.help()).isFalse();
    }

    @Test
    void validateWithoutAPathChecksTheDefaultConfig() {
        CommandLine command = parse(NO_ENV, "--validate");

        assertThat(command.validateOnly()).isTrue();
        assertThat(command.configLocation()).isEqualTo("config.yml");
    }

    @Test
    void validateWithoutAPathChecksTheConfigFromTheEnvironment() {
        CommandLine command = parse("/from/env.yml", "--validate");

        assertThat(command.validateOnly()).isTrue();
        assertThat(command.configLocation()).isEqualTo("/from/env.yml");
    }

    @Test
    void validateDoesNotSwallowAFollowingOption() {
        CommandLine before = parse(NO_ENV, "--validate", "--config", "a.yml");
        CommandLine after = parse(NO_ENV, "--config", "a.yml", "--validate");

        assertThat(before.validateOnly()).isTrue();
        assertThat(before.configLocation()).isEqualTo("a.yml");
        assertThat(after.validateOnly()).isTrue();
        assertThat(after.configLocation()).isEqualTo("a.yml");
    }

    @Test
    void gatewayConfigEnvironmentVariableIsTheFallback() {
        CommandLine command = parse("/srv/gatehouse.yml");

        assertThat(command.configLocation()).isEqualTo("/srv/gatehouse.yml");
        assertThat(command.validateOnly()).isFalse();
        assertThat(command.help()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankGatewayConfigFallsBackToTheDefault(String blank) {
        assertThat(parse(blank).configLocation()).isEqualTo("config.yml");
    }

    @Test
    void withoutArgumentsOrEnvironmentTheConfigIsConfigYmlInTheWorkingDirectory() {
        CommandLine command = parse(NO_ENV);

        assertThat(command.configLocation()).isEqualTo("config.yml");
        assertThat(command.validateOnly()).isFalse();
        assertThat(command.help()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpAsksForTheUsageOnly(String option) {
        CommandLine command = parse("/from/env.yml", "--config", "a.yml", option);

        assertThat(command.help()).isTrue();
        assertThat(command.validateOnly()).isFalse();
        assertThat(CommandLine.USAGE).contains("--config PATH", "--validate [PATH]", "--help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "config.yml", "-x", "--config=a.yml"})
    void unknownArgumentIsRejectedByName(String argument) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse(NO_ENV, argument))
                .withMessage("unknown argument \"" + argument + "\"");
    }

    @Test
    void unknownArgumentAfterValidOnesIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse(NO_ENV, "--validate", "a.yml", "b.yml"))
                .withMessage("unknown argument \"b.yml\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--config", "-c"})
    void configWithoutAValueIsRejected(String option) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse("/from/env.yml", option))
                .withMessage(option + " needs a path");
    }

    @Test
    void trainRunsTheBuiltInTraining() {
        CommandLine command = parse("/from/env.yml", "--train");

        assertThat(command.train()).isTrue();
        assertThat(command.validateOnly()).isFalse();
        assertThat(CommandLine.USAGE).contains("--train", "-XX:ArchiveClassesAtExit");
    }

    @Test
    void trainWithAConfigIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse(NO_ENV, "--train", "--config", "a.yml"))
                .withMessage("--train runs alone: it has a configuration of its own");
    }
}
