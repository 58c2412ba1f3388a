package io.gatehouse.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

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

        assertThat(command.configPath()).isEqualTo(Path.of("/etc/gatehouse/gateway.yml"));
        assertThat(command.validateOnly()).isFalse();
        assertThat(command.help()).isFalse();
    }

    @Test
    void configOptionWinsOverTheEnvironment() {
        assertThat(parse("/from/env.yml", "--config", "cli.yml").configPath()).isEqualTo(Path.of("cli.yml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--validate", "-t"})
    void validateWithAPathChecksThatPath(String option) {
        CommandLine command = parse("/from/env.yml", option, "other.yml");

        assertThat(command.validateOnly()).isTrue();
        assertThat(command.configPath()).isEqualTo(Path.of("other.yml"));
        assertThat(command.help()).isFalse();
    }

    @Test
    void validateWithoutAPathChecksTheDefaultConfig() {
        CommandLine command = parse(NO_ENV, "--validate");

        assertThat(command.validateOnly()).isTrue();
        assertThat(command.configPath()).isEqualTo(Path.of("config.yml"));
    }

    @Test
    void validateWithoutAPathChecksTheConfigFromTheEnvironment() {
        CommandLine command = parse("/from/env.yml", "--validate");

        assertThat(command.validateOnly()).isTrue();
        assertThat(command.configPath()).isEqualTo(Path.of("/from/env.yml"));
    }

    @Test
    void validateDoesNotSwallowAFollowingOption() {
        CommandLine before = parse(NO_ENV, "--validate", "--config", "a.yml");
        CommandLine after = parse(NO_ENV, "--config", "a.yml", "--validate");

        assertThat(before.validateOnly()).isTrue();
        assertThat(before.configPath()).isEqualTo(Path.of("a.yml"));
        assertThat(after.validateOnly()).isTrue();
        assertThat(after.configPath()).isEqualTo(Path.of("a.yml"));
    }

    @Test
    void gatewayConfigEnvironmentVariableIsTheFallback() {
        CommandLine command = parse("/srv/gatehouse.yml");

        assertThat(command.configPath()).isEqualTo(Path.of("/srv/gatehouse.yml"));
        assertThat(command.validateOnly()).isFalse();
        assertThat(command.help()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankGatewayConfigFallsBackToTheDefault(String blank) {
        assertThat(parse(blank).configPath()).isEqualTo(Path.of("config.yml"));
    }

    @Test
    void withoutArgumentsOrEnvironmentTheConfigIsConfigYmlInTheWorkingDirectory() {
        CommandLine command = parse(NO_ENV);

        assertThat(command.configPath()).isEqualTo(Path.of("config.yml"));
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
}
