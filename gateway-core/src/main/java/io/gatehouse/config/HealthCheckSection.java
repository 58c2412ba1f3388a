package io.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds {@code pools.NAME.health_check}. */
final class HealthCheckSection {
    private static final List<String> KEYS = List.of(
            "path", "interval", "timeout", "healthy_threshold", "unhealthy_threshold", "expected_status");
    private static final String PATH_EXPECTED = "expected a path starting with / and without spaces";
    private static final String STATUS_EXPECTED =
            "expected a status code 100..599, a class such as \"2xx\", or a range such as \"200-399\"";
    private static final Pattern CODE = Pattern.compile("[1-5]\\d\\d");
    private static final Pattern CLASS = Pattern.compile("([1-5])xx");
    private static final Pattern RANGE = Pattern.compile("([1-5]\\d\\d)-([1-5]\\d\\d)");

    private HealthCheckSection() {}

    /** The health check, or null when {@code health_check} is absent. */
    static HealthCheckConfig bind(Node check) {
        if (!check.isPresent() || !check.expectMap(KEYS)) {
            return null;
        }
        String path = check.get("path").parse(HealthCheckSection::path, PATH_EXPECTED);
        Duration interval = check.get("interval").duration(Duration.ofSeconds(5), false);
        Duration timeout = check.get("timeout").duration(Duration.ofSeconds(1), false);
        if (timeout.compareTo(interval) > 0) {
            check.error("timeout " + Durations.format(timeout) + " is longer than interval "
                    + Durations.format(interval) + " (expected timeout <= interval)");
        }
        StatusRange status = check.get("expected_status").parse(HealthCheckSection::status, STATUS_EXPECTED);
        if (status == null) {
            status = new StatusRange(200, 299);
        }
        return new HealthCheckConfig(
                path == null ? "/healthz" : path,
                interval,
                timeout,
                check.get("healthy_threshold").integerAtLeast(2, 1),
                check.get("unhealthy_threshold").integerAtLeast(2, 1),
                status.min(),
                status.max());
    }

    private static String path(String text) {
        if (!text.startsWith("/") || text.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(PATH_EXPECTED);
        }
        return text;
    }

    private static StatusRange status(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        if (CODE.matcher(s).matches()) {
            int code = Integer.parseInt(s);
            return new StatusRange(code, code);
        }
        Matcher m = CLASS.matcher(s);
        if (m.matches()) {
            int base = Integer.parseInt(m.group(1)) * 100;
            return new StatusRange(base, base + 99);
        }
        m = RANGE.matcher(s);
        if (m.matches() && Integer.parseInt(m.group(1)) <= Integer.parseInt(m.group(2))) {
            return new StatusRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        throw new IllegalArgumentException(STATUS_EXPECTED);
    }

    private record StatusRange(int min, int max) {}
}
