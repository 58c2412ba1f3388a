package io.gatehouse.log;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Formats epoch milliseconds as RFC 3339 UTC with exactly three decimals ({@code 2026-12-02T14:51:24.070Z}), for one
 * thread: the date and time up to the second are formatted once per second and reused, so a line costs a few
 * appends rather than a {@code DateTimeFormatter} run.
 */
final class UtcMillis {
    private long second = Long.MIN_VALUE;
    private String secondText = "";

    void append(long epochMillis, StringBuilder out) {
        long s = Math.floorDiv(epochMillis, 1000);
        if (s != second) {
            second = s;
            // Instant#toString omits a zero fraction and zero seconds never: truncated to seconds it ends in "Z".
            String text = Instant.ofEpochSecond(s).truncatedTo(ChronoUnit.SECONDS).toString();
            secondText = text.substring(0, text.length() - 1);
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        out.append(secondText).append('.')
                .append((char) ('0' + millis / 100))
                .append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10))
                .append('Z');
    }
}
