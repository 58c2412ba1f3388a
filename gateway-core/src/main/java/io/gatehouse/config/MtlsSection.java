package io.gatehouse.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds {@code auth.mtls}: which certificate field names the consumer, the consumers, the forwarded fields. */
final class MtlsSection {
    private static final List<String> KEYS = List.of("consumer_from", "consumers", "forward_headers");
    private static final List<String> CONSUMER_KEYS = List.of("id", "roles");
    private static final String HEADER_EXPECTED = "expected a header name such as X-Client-Cert-Subject";

    private MtlsSection() {}

    /** Null when absent. */
    static MtlsConfig bind(Node section) {
        if (!section.expectMap(KEYS)) {
            return null;
        }
        CertificateField consumerFrom = consumerFrom(section.get("consumer_from"));
        return new MtlsConfig(consumerFrom, consumers(section.get("consumers")),
                forwardHeaders(section.get("forward_headers")));
    }

    private static CertificateField consumerFrom(Node node) {
        String expected = "expected one of: " + String.join(", ", names(true));
        String name = node.string();
        if (name == null) {
            return CertificateField.SUBJECT_CN;
        }
        CertificateField field = CertificateField.byName(name);
        if (field == null || !field.isIdentity()) {
            node.invalid(expected);
            return CertificateField.SUBJECT_CN;
        }
        return field;
    }

    private static List<MtlsConfig.Consumer> consumers(Node node) {
        String expected = "expected a list of {id, roles}: the certificate identities admitted";
        List<Node> elements = node.elements(expected);
        if (!node.isPresent() || (node.isList() && elements.isEmpty())) {
            node.error("missing or empty (expected at least one consumer: the gateway admits only listed"
                    + " certificate identities)");
        }
        List<MtlsConfig.Consumer> consumers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Node element : elements) {
            if (!element.expectMap(CONSUMER_KEYS)) {
                if (!element.isPresent()) {
                    element.invalid(expected);
                }
                continue;
            }
            Node idNode = element.get("id");
            String id = idNode.requiredString("expected the consumer's certificate identity, such as billing");
            List<String> roles = element.get("roles").strings("expected a list of role names");
            if (id == null) {
                continue;
            }
            if (id.isBlank()) {
                idNode.invalid("expected a non-empty identity");
            } else if (ids.contains(id)) {
                idNode.invalid("expected a unique consumer id");
            } else {
                ids.add(id);
                consumers.add(new MtlsConfig.Consumer(id, roles));
            }
        }
        return consumers;
    }

    private static Map<String, CertificateField> forwardHeaders(Node node) {
        String fields = "expected one of: " + String.join(", ", names(false));
        Map<String, CertificateField> headers = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : node.entries("expected a map of header name: certificate field")
                .entrySet()) {
            if (!HttpTokens.isToken(entry.getKey())) {
                entry.getValue().error("invalid header name (" + HEADER_EXPECTED + ")");
                continue;
            }
            String name = entry.getValue().requiredString(fields);
            CertificateField field = name == null ? null : CertificateField.byName(name);
            if (name != null && field == null) {
                entry.getValue().invalid(fields);
            } else if (field != null) {
                headers.put(entry.getKey(), field);
            }
        }
        return headers;
    }

    private static List<String> names(boolean identityOnly) {
        List<String> names = new ArrayList<>();
        for (CertificateField field : CertificateField.values()) {
            if (!identityOnly || field.isIdentity()) {
                names.add(field.configName());
            }
        }
        return names;
    }
}
