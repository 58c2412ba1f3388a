package io.gatehouse.security;

import io.gatehouse.config.MtlsConfig;
import io.gatehouse.metrics.GatewayMetrics;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code auth.mtls.consumers}: finds the consumer a verified client certificate names, by its whole subject first,
 * then by its subject's CN, and says who it is upstream (the consumer id, the subject and the SANs, under the
 * configured header names). Built once per configuration; each consumer's request counter resolved here.
 */
final class CertificateConsumers {
    private final Map<LdapName, Consumer> bySubject = new HashMap<>();
    private final Map<String, Consumer> byCn = new HashMap<>();
    private final String subjectHeader;
    private final String sansHeader;

    CertificateConsumers(MtlsConfig config, GatewayMetrics metrics) {
        for (MtlsConfig.Consumer c : config.consumers()) {
            Consumer consumer = Consumer.of(c.id(), c.roles(), metrics.consumerRequests(c.id()));
            if (c.subject() != null) {
                bySubject.put(name(c.subject()), consumer);
            } else {
                byCn.put(c.cn(), consumer);
            }
        }
        this.subjectHeader = config.subjectHeader();
        this.sansHeader = config.sansHeader();
    }

    /** The headers the gateway vouches for: a client's own copies are removed from every request. */
    List<String> vouchedHeaders() {
        List<String> names = new ArrayList<>();
        if (subjectHeader != null) {
            names.add(subjectHeader);
        }
        if (sansHeader != null) {
            names.add(sansHeader);
        }
        return names;
    }

    /** The consumer {@code certificate} names, with its identity headers for this request; null when none. */
    Consumer find(X509Certificate certificate) {
        LdapName subject = name(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
        Consumer known = bySubject.get(subject);
        if (known == null) {
            String cn = commonName(subject);
            known = cn == null ? null : byCn.get(cn);
        }
        if (known == null) {
            return null;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(known.admitted().principal().upstreamHeaders());
        if (subjectHeader != null) {
            headers.add(Map.entry(subjectHeader, subject.toString()));
        }
        if (sansHeader != null) {
            headers.add(Map.entry(sansHeader, String.join(", ", alternativeNames(certificate))));
        }
        Principal principal = new Principal(known.id(), null, List.copyOf(headers));
        return new Consumer(known.id(), known.roles(), known.requests(), new Admission.Admitted(principal));
    }

    private static String commonName(LdapName subject) {
        for (Rdn rdn : subject.getRdns()) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                return rdn.getValue().toString();
            }
        }
        return null;
    }

    /** DNS names, URIs, e-mail addresses and IP addresses, as {@code DNS:a.example}, in the certificate's order. */
    private static List<String> alternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    String kind = switch ((Integer) san.get(0)) {
                        case 1 -> "email";
                        case 2 -> "DNS";
                        case 6 -> "URI";
                        case 7 -> "IP";
                        default -> null;
                    };
                    if (kind != null) {
                        names.add(kind + ":" + san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of(); // verified, but its SAN extension is unreadable: none sent
        }
        return names;
    }

    private static LdapName name(String distinguishedName) {
        try {
            return new LdapName(distinguishedName);
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("not a distinguished name: " + distinguishedName, e);
        }
    }
}
