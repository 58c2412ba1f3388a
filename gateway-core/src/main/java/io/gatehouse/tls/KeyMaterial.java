package io.gatehouse.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain and its private key as read from disk, checked to belong together.
 *
 * @param name  the configured name of the entry (metrics label, log lines)
 * @param chain the leaf certificate first, then its intermediates
 */
public record KeyMaterial(String name, PrivateKey key, List<X509Certificate> chain) {
    public KeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: the certificate, then its intermediates)");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }
}
