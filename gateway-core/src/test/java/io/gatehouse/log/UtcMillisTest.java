package io.gatehouse.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Instant;

class UtcMillisTest {
    private final UtcMillis clock = new UtcMillis();

    private String format(long epochMillis) {
        StringBuilder out = new StringBuilder();
        clock.append(epochMillis, out);
        return out.toString();
    }

    @Test
    void millisecondsAreAlwaysThreeDigitsAndUtc() {
        assertThat(format(Instant.parse("2026-12-02T14:51:24.774Z").toEpochMilli())).isEqualTo("2026-12-02T14:51:24.774Z");
        assertThat(format(Instant.parse("2026-12-02T14:51:24.070Z").toEpochMilli())).isEqualTo("2026-12-02T14:51:24.070Z");
        assertThat(format(Instant.parse("2026-12-02T14:51:24.005Z").toEpochMilli())).isEqualTo("2026-12-02T14:51:24.005Z");
        assertThat(format(Instant.parse("2026-12-02T14:51:24Z").toEpochMilli())).isEqualTo("2026-12-02T14:51:24.000Z");
    }

    @Test
    void theCachedSecondIsRenewedWhenTheSecondChangesBackwardsOrForwards() {
        long t = Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli();
        assertThat(format(t)).isEqualTo("2026-12-31T23:59:59.999Z");
        assertThat(format(t + 1)).isEqualTo("2027-01-01T00:00:00.000Z");
        assertThat(format(t - 1000)).isEqualTo("2026-12-31T23:59:58.999Z"); // a clock stepped back
        assertThat(format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    }
}
