package io.gatehouse.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * The TLS engine of this process: OpenSSL (BoringSSL, from netty-tcnative) when its native library loads, the
 * JDK's otherwise. Decided once per process.
 */
public final class TlsEngine {
    private static final boolean OPENSSL = OpenSsl.isAvailable();

    private TlsEngine() {}

    public static SslProvider provider() {
        return OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** For the start log line: {@code OpenSSL (BoringSSL)} or {@code JDK}. */
    public static String description() {
        return OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK (" + Runtime.version().feature() + ")";
    }

    /** Whether the engine knows the cipher suite {@code ianaName} (as the JDK spells it). */
    public static boolean supportsCipherSuite(String ianaName) {
        return OPENSSL ? OpenSsl.availableJavaCipherSuites().contains(ianaName) : jdkSuites().contains(ianaName);
    }

    private static Set<String> jdkSuites() {
        try {
            return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }
}
