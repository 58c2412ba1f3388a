package io.gatehouse.tls;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.TlsConfig;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * The CA that client certificates must chain to ({@code server.tls.client_auth.ca}), read once at start.
 *
 * <p>With {@code required} the TLS engine verifies the client's chain against it and refuses the handshake
 * otherwise. With {@code optional} every client connects: the engine is given a trust manager that accepts any chain,
 * and {@link #verified} checks the chain once the handshake is done, so a certificate that does not chain to the CA
 * is simply not the connection's verified certificate (nginx's {@code ssl_verify_client optional_no_ca}).
 */
public final class ClientCertificateTrust {
    private final TlsConfig.ClientAuth.Mode mode;
    private final X509TrustManager trust;

    private ClientCertificateTrust(TlsConfig.ClientAuth.Mode mode, X509TrustManager trust) {
        this.mode = mode;
        this.trust = trust;
    }

    /** @throws ConfigException naming {@code server.tls.client_auth.ca} when the file cannot be read */
    public static ClientCertificateTrust of(TlsConfig.ClientAuth clientAuth) {
        if (clientAuth.mode() == TlsConfig.ClientAuth.Mode.NONE) {
            return new ClientCertificateTrust(clientAuth.mode(), null);
        }
        try (InputStream in = Files.newInputStream(clientAuth.ca())) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new ConfigException("server.tls.client_auth.ca: " + clientAuth.ca()
                        + ": no certificate in it (expected PEM CA certificates)");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return new ClientCertificateTrust(clientAuth.mode(), x509);
                }
            }
            throw new IllegalStateException("the JDK made no X.509 trust manager");
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("server.tls.client_auth.ca: " + clientAuth.ca() + ": cannot read it ("
                    + e.getMessage() + ")");
        }
    }

    public TlsConfig.ClientAuth.Mode mode() {
        return mode;
    }

    /** What the TLS engine verifies with: the CA itself, or for {@code optional} a manager that accepts any chain. */
    TrustManager engineTrust() {
        return mode == TlsConfig.ClientAuth.Mode.REQUIRED ? trust : new AcceptAnyClient(trust);
    }

    /**
     * The client's leaf certificate when its chain is verified against the CA, else null (no certificate, or one
     * the CA did not sign). With {@code required} the engine has verified it already.
     */
    public X509Certificate verified(Certificate[] presented) {
        if (mode == TlsConfig.ClientAuth.Mode.NONE || presented == null || presented.length == 0
                || !(presented[0] instanceof X509Certificate leaf)) {
            return null;
        }
        if (mode == TlsConfig.ClientAuth.Mode.REQUIRED) {
            return leaf;
        }
        X509Certificate[] chain = new X509Certificate[presented.length];
        for (int i = 0; i < presented.length; i++) {
            if (!(presented[i] instanceof X509Certificate c)) {
                return null;
            }
            chain[i] = c;
        }
        try {
            trust.checkClientTrusted(chain, leaf.getPublicKey().getAlgorithm());
            return leaf;
        } catch (CertificateException e) {
            return null;
        }
    }

    /** {@code optional}: the engine accepts every chain; the CA's names are still offered to clients. */
    private static final class AcceptAnyClient extends X509ExtendedTrustManager {
        private final X509TrustManager ca;

        AcceptAnyClient(X509TrustManager ca) {
            this.ca = ca;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a server-side trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a server-side trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server-side trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return ca.getAcceptedIssuers();
        }
    }
}
