package io.gatehouse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Binds {@code tracing:}; absent means {@link TracingConfig#OFF}. */
final class TracingSection {
    private static final List<String> KEYS = List.of("enabled", "exporter", "sampler", "propagators", "service_name");
    private static final List<String> EXPORTER_KEYS = List.of("otlp", "queue_size");
    private static final List<String> OTLP_KEYS = List.of("endpoint", "protocol", "timeout");
    private static final List<String> SAMPLER_KEYS = List.of("parent_based", "ratio");
    private static final String ENDPOINT_EXPECTED = "expected an http:// or https:// address such as"
            + " http://127.0.0.1:4318, without query or fragment";
    private static final String RATIO_EXPECTED = "expected a number from 0 to 1 such as 0.1";

    private TracingSection() {}

    static TracingConfig bind(Node tracing) {
        TracingConfig off = TracingConfig.OFF;
        if (!tracing.isPresent() || !tracing.expectMap(KEYS)) {
            return off;
        }
        boolean enabled = tracing.get("enabled").bool(false);
        Node exporter = tracing.get("exporter");
        TracingConfig.OtlpProtocol protocol = off.protocol();
        URI endpoint = null;
        Duration timeout = off.exportTimeout();
        int queueSize = off.queueSize();
        if (exporter.isPresent() && exporter.expectMap(EXPORTER_KEYS)) {
            queueSize = exporter.get("queue_size").integer(off.queueSize(), 1, 1_000_000);
            Node otlp = exporter.get("otlp");
            if (otlp.isPresent() && otlp.expectMap(OTLP_KEYS)) {
                protocol = protocol(otlp.get("protocol"), protocol);
                Node endpointNode = otlp.get("endpoint");
                endpoint = endpointNode.isPresent() ? endpoint(endpointNode) : null;
                timeout = otlp.get("timeout").duration(timeout, false);
            }
        }
        boolean parentBased = off.parentBased();
        double ratio = off.ratio();
        Node sampler = tracing.get("sampler");
        if (sampler.isPresent() && sampler.expectMap(SAMPLER_KEYS)) {
            parentBased = sampler.get("parent_based").bool(parentBased);
            Node ratioNode = sampler.get("ratio");
            if (ratioNode.isPresent()) {
                Double parsed = ratioNode.parse(TracingSection::ratio, RATIO_EXPECTED);
                ratio = parsed == null ? ratio : parsed;
            }
        }
        List<TracingConfig.Propagator> propagators = propagators(tracing.get("propagators"), off.propagators());
        Node nameNode = tracing.get("service_name");
        String serviceName = nameNode.isPresent() ? nameNode.string() : off.serviceName();
        if (serviceName == null || serviceName.isBlank()) {
            if (nameNode.isPresent()) {
                nameNode.invalid("expected a non-empty name such as gatehouse");
            }
            serviceName = off.serviceName();
        }
        return new TracingConfig(enabled, endpoint == null ? protocol.defaultEndpoint() : endpoint, protocol, timeout,
                queueSize, parentBased, ratio, propagators, serviceName);
    }

    private static TracingConfig.OtlpProtocol protocol(Node node, TracingConfig.OtlpProtocol defaultValue) {
        String text = node.string();
        if (text == null) {
            return defaultValue;
        }
        for (TracingConfig.OtlpProtocol p : TracingConfig.OtlpProtocol.values()) {
            if (p.configName().equals(text)) {
                return p;
            }
        }
        node.invalid("expected http/protobuf or grpc");
        return defaultValue;
    }

    private static List<TracingConfig.Propagator> propagators(Node node, List<TracingConfig.Propagator> defaults) {
        if (!node.isPresent()) {
            return defaults;
        }
        String names = Arrays.stream(TracingConfig.Propagator.values()).map(TracingConfig.Propagator::configName)
                .collect(Collectors.joining(", "));
        List<TracingConfig.Propagator> chosen = new ArrayList<>();
        for (String name : node.strings("expected a list of propagators: " + names)) {
            TracingConfig.Propagator match = Arrays.stream(TracingConfig.Propagator.values())
                    .filter(p -> p.configName().equals(name.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
            if (match == null) {
                node.invalid("expected propagators among " + names + " (got " + name + ")");
            } else if (!chosen.contains(match)) {
                chosen.add(match);
            }
        }
        return chosen;
    }

    /**
     * The endpoint, or null once reported; a value that may hold user information ({@code user:password@}) is
     * reported without it, since errors are logged and shown by the admin API.
     */
    private static URI endpoint(Node node) {
        String text = node.string();
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getQuery() == null
                    && uri.getFragment() == null && uri.getUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        if (text.indexOf('@') >= 0) {
            node.error("not shown, as it may hold a password (" + ENDPOINT_EXPECTED + ", without user information)");
        } else {
            node.invalid(ENDPOINT_EXPECTED);
        }
        return null;
    }

    private static Double ratio(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(RATIO_EXPECTED);
        }
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(RATIO_EXPECTED);
        }
        return value;
    }
}
