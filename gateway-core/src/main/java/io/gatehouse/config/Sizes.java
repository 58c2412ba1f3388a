package io.gatehouse.config;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses byte sizes: a plain integer (bytes), or an integer with a unit: {@code B}, binary {@code KiB MiB GiB}
 * (powers of 1024) or decimal {@code KB MB GB} (powers of 1000).
 */
final class Sizes {
    static final String EXPECTED = "expected a size such as 512B, 16KiB, 10MiB, 1GB or a number of bytes";

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(B|KiB|MiB|GiB|KB|MB|GB)?");
    private static final Map<String, Long> MULTIPLIERS = Map.of(
            "B", 1L,
            "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30,
            "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L);

    private Sizes() {}

    /**
     * Parses {@code text} to a number of bytes.
     *
     * @throws IllegalArgumentException whose message says what was expected, without the value
     */
    static long parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), MULTIPLIERS.get(unit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(EXPECTED + ", below 8 EiB");
        }
    }
}
