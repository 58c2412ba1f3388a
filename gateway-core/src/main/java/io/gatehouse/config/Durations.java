package io.gatehouse.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written as a number and a unit: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code 1h},
 * {@code 1d} (for long rate-limit periods).
 */
public final class Durations {
    static final String EXPECTED = "expected a duration such as 250ms, 2s, 1m";

    private static final Pattern SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern PLAIN_NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L,
            "d", 86_400_000_000_000L);

    private Durations() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException whose message says what was expected, without the value
     */
    static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            if (PLAIN_NUMBER.matcher(text).matches()) {
                throw new IllegalArgumentException(plainNumberExpectation(text));
            }
            throw new IllegalArgumentException(EXPECTED);
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2))));
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) { // below a nanosecond, or beyond ~292 years
            throw new IllegalArgumentException(EXPECTED + ", in whole nanoseconds up to 292 years");
        }
    }

    /** The complaint for a unit-less number: seconds or milliseconds cannot be guessed. */
    static String plainNumberExpectation(String number) {
        return EXPECTED + "; a plain number is ambiguous, add a unit as in " + number + "s";
    }

    /** Renders a duration the way it would be written in the config, e.g. {@code 1500ms} or {@code 2s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000 != 0) {
            return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
        }
        long ms = nanos / 1_000_000;
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
