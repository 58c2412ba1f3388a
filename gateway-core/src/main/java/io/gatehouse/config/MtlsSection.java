package io.gatehouse.config;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Binds {@code auth.mtls}: the consumers client certificates name, and the headers that carry them upstream. */
final class MtlsSection {
    private static final List<String> KEYS = List.of("consumers", "headers");
    private static final List<String> CONSUMER_KEYS = List.of("subject", "cn", "id", "roles");
    private static final List<String> HEADER_KEYS = List.of("subject", "sans");
    private static final String CONSUMERS_EXPECTED = "expected a list of {subject or cn, id, roles}";
    private static final String HEADER_EXPECTED = "expected a header name, or false to send none";

    private MtlsSection() {}

    /** Null when absent. */
    static MtlsConfig bind(Node mtls) {
        if (!mtls.isPresent() || !mtls.expectMap(KEYS)) {
            return null;
        }
        Node consumersNode = mtls.get("consumers");
        if (!consumersNode.isPresent()) {
            consumersNode.missing(CONSUMERS_EXPECTED);
        }
        List<MtlsConfig.Consumer> consumers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Node element : consumersNode.elements(CONSUMERS_EXPECTED)) {
            MtlsConfig.Consumer consumer = consumer(element);
            if (consumer != null && !ids.add(consumer.id())) {
                element.get("id").invalid("expected a unique consumer id");
            } else if (consumer != null) {
                consumers.add(consumer);
            }
        }
        Node headers = mtls.get("headers");
        headers.expectMap(HEADER_KEYS);
        return new MtlsConfig(consumers, header(headers.get("subject"), "X-Client-Cert-Subject"),
                header(headers.get("sans"), "X-Client-Cert-SANs"));
    }

    private static MtlsConfig.Consumer consumer(Node element) {
        if (!element.expectMap(CONSUMER_KEYS)) {
            if (!element.isPresent()) {
                element.invalid(CONSUMERS_EXPECTED);
            }
            return null;
        }
        Node subjectNode = element.get("subject");
        Node cnNode = element.get("cn");
        String subject = subjectNode.parse(MtlsSection::distinguishedName,
                "expected a distinguished name such as \"CN=billing,O=Example\"");
        String cn = cnNode.string();
        if (subjectNode.isPresent() == cnNode.isPresent()) {
            element.invalid("expected either subject or cn, to match the client certificate by");
            return null;
        }
        Node idNode = element.get("id");
        String id = idNode.isPresent() ? idNode.string() : cn;
        if (id == null) {
            idNode.missing("expected a consumer id such as billing (the cn is the default)");
            return null;
        }
        if (!Ids.isValid(id)) {
            (idNode.isPresent() ? idNode : cnNode).invalid(Ids.EXPECTED + (idNode.isPresent() ? ""
                    : " (the cn is the id unless id: says otherwise)"));
            return null;
        }
        List<String> roles = element.get("roles").strings("expected a list of role names");
        return subject == null && cn == null ? null : new MtlsConfig.Consumer(subject, cn, id, roles);
    }

    private static String distinguishedName(String text) {
        try {
            return new LdapName(text).toString();
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("expected a distinguished name such as \"CN=billing,O=Example\"");
        }
    }

    private static String header(Node node, String defaultName) {
        if (!node.isPresent()) {
            return defaultName;
        }
        if (node.isBooleanLike()) {
            if (node.bool(true)) {
                node.invalid(HEADER_EXPECTED + " (true is not a name)");
            }
            return null;
        }
        String name = node.string();
        if (name != null && !HttpTokens.isToken(name)) {
            node.invalid(HEADER_EXPECTED);
            return null;
        }
        return name;
    }
}
