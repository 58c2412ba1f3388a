package io.gatehouse.tls;

import io.gatehouse.tls.BadKeyMaterial.Part;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads a PEM certificate chain: every {@code CERTIFICATE} block in file order, the server's own first. */
final class CertificateChainReader {
    private CertificateChainReader() {
    }

    static List<X509Certificate> read(Path file, byte[] content) throws BadKeyMaterial {
        if (content.length == 0) {
            throw problem(file, "the file is empty (expected: PEM certificates, the server's first)");
        }
        List<PemBlock> blocks;
        try {
            blocks = PemBlock.parse(content);
        } catch (IllegalArgumentException e) {
            throw problem(file, e.getMessage());
        }
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory x509 = factory();
        for (PemBlock block : blocks) {
            if (!block.type().equals("CERTIFICATE")) {
                continue; // a key or parameters in the same file: the key file is read on its own
            }
            try {
                chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw problem(file, "certificate " + (chain.size() + 1) + " of the file is not a valid X.509 certificate");
            }
        }
        if (chain.isEmpty()) {
            throw problem(file, "no certificate found (expected: PEM blocks -----BEGIN CERTIFICATE-----, the server's first)");
        }
        return chain;
    }

    private static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every JDK has an X.509 certificate factory", e);
        }
    }

    private static BadKeyMaterial problem(Path file, String problem) {
        return new BadKeyMaterial(Part.CERT, file, problem);
    }
}
