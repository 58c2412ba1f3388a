package io.gatehouse.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the SNI lookup: each certificate's DNS names (its subject alternative names; {@code *.example.com} matches
 * one label, so {@code a.example.com} but neither {@code a.b.example.com} nor {@code example.com}) to its context;
 * a name no certificate has, or no name at all, gets the default. When two certificates carry the same name, the
 * one listed first wins.
 */
final class SniMapping {
    private static final int DNS_NAME = 2;

    private SniMapping() {
    }

    static Mapping<String, SslContext> build(List<LoadedCertificate> certificates, int defaultIndex) {
        DomainWildcardMappingBuilder<SslContext> builder =
                new DomainWildcardMappingBuilder<>(certificates.get(defaultIndex).context());
        Set<String> taken = new HashSet<>();
        for (LoadedCertificate certificate : certificates) {
            for (String name : dnsNames(certificate.material().leaf())) {
                if (taken.add(name.toLowerCase(Locale.ROOT))) {
                    builder.add(name, certificate.context());
                }
            }
        }
        return builder.build();
    }

    static List<String> dnsNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(DNS_NAME).equals(san.get(0))) {
                        names.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable SAN extension: the certificate still serves as the default
        }
        return names;
    }
}
