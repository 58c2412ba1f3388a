package io.gatehouse.tls;

import io.netty.handler.ssl.SslContext;

import java.time.Instant;

/**
 * A certificate entry ready to serve: what was read, the context made from it, and the digest of the two files it
 * came from (to tell a real change from a touch).
 */
record LoadedCertificate(KeyMaterial material, SslContext context, String digest) {
    Instant notAfter() {
        return material.leaf().getNotAfter().toInstant();
    }
}
