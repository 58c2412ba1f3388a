package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "0ms, PT0S",
        "2s, PT2S",
        "1.5s, PT1.5S",
        "0.5ms, PT0.0005S",
        "1m, PT1M",
        "90m, PT1H30M",
        "1h, PT1H",
        "2.25h, PT2H15M",
        "1d, PT24H",
    })
    void parsesNumberAndUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "5 minutes", "5 s", "-1s", "1D", "1w", "1S", "1.s", ".5s", "1e3ms", "1m30s", " 1s"})
    void rejectsOtherSyntax(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage("expected a duration such as 250ms, 2s, 1m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "0", "1.5"})
    void rejectsPlainNumbersAsAmbiguous(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage("expected a duration such as 250ms, 2s, 1m; a plain number is ambiguous, add a unit as in "
                        + text + "s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0000001ms", "3000000h"})
    void rejectsSubNanosecondAndHugeValues(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage("expected a duration such as 250ms, 2s, 1m, in whole nanoseconds up to 292 years");
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0s",
        "PT0.25S, 250ms",
        "PT0.0005S, 0.5ms",
        "PT2S, 2s",
        "PT1.5S, 1500ms",
        "PT2M, 2m",
        "PT90S, 90s",
        "PT3H, 3h",
    })
    void formatsAsWritten(Duration duration, String expected) {
        assertThat(Durations.format(duration)).isEqualTo(expected);
        assertThat(Durations.parse(expected)).isEqualTo(duration);
    }
}
