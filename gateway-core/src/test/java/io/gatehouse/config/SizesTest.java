package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1024, 1024",
        "512B, 512",
        "16KiB, 16384",
        "10MiB, 10485760",
        "1GiB, 1073741824",
        "2KB, 2000",
        "10MB, 10000000",
        "1GB, 1000000000",
        "8000000000GiB, 8589934592000000000",
    })
    void parsesBytesAndUnits(String text, long expected) {
        assertThat(Sizes.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "KiB", "-1", "1.5MiB", "10 MiB", "10mib", "10kb", "10K", "1TB", "ten"})
    void rejectsOtherSyntax(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Sizes.parse(text))
                .withMessage("expected a size such as 512B, 16KiB, 10MiB, 1GB or a number of bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9000000000GiB", "99999999999999999999"})
    void rejectsSizesBeyondLong(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Sizes.parse(text))
                .withMessage("expected a size such as 512B, 16KiB, 10MiB, 1GB or a number of bytes, below 8 EiB");
    }
}
