package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import io.gatehouse.tls.BadKeyMaterial.Part;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Turns a certificate entry's two files into a {@link LoadedCertificate}: read, parse, check against the clock, and
 * make the context with the listener's factory. Runs at start and on the watch thread, never on an event loop.
 */
final class CertificateLoader {
    private final ServerContextFactory factory;
    private final Clock clock;

    CertificateLoader(ServerContextFactory factory, Clock clock) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The bytes of an entry's files as read at one moment, and their digest. */
    record Contents(byte[] cert, byte[] key, String digest) {}

    Contents read(TlsConfig.Certificate entry) throws BadKeyMaterial {
        byte[] cert = readFile(Part.CERT, entry.cert());
        byte[] key = readFile(Part.KEY, entry.key());
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(Integer.toString(cert.length).getBytes(StandardCharsets.US_ASCII)); // where the key starts
            sha256.update(cert);
            sha256.update(key);
            return new Contents(cert, key, HexFormat.of().formatHex(sha256.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    LoadedCertificate load(TlsConfig.Certificate entry, Contents contents) throws BadKeyMaterial {
        List<X509Certificate> chain = CertificateChainReader.read(entry.cert(), contents.cert());
        PrivateKey key = PrivateKeyReader.read(entry.key(), contents.key());
        KeyMaterial material = new KeyMaterial(entry.name(), key, chain);
        KeyMaterialValidator.check(material, entry.cert(), entry.key(), clock);
        try {
            return new LoadedCertificate(material, factory.create(material), contents.digest());
        } catch (IOException | RuntimeException e) {
            throw new BadKeyMaterial(Part.CERT, entry.cert(), "the TLS library refused it: "
                    + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
        }
    }

    private static byte[] readFile(Part part, Path file) throws BadKeyMaterial {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadKeyMaterial(part, file, "the file does not exist");
        } catch (AccessDeniedException e) {
            throw new BadKeyMaterial(part, file, "the file cannot be read: permission denied");
        } catch (IOException e) {
            throw new BadKeyMaterial(part, file, "the file cannot be read: " + e);
        }
    }
}
