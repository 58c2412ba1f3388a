package io.gatehouse.testing;

import okhttp3.OkHttpClient;
import okhttp3.Protocol;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * JDK TLS clients for tests of the HTTPS listener: trusting one CA, optionally presenting a client certificate
 * (always, whatever CA names the server asks for, so a test can present an untrusted one), with chosen protocols,
 * SNI name and ALPN offer.
 */
public final class TlsClients {
    private TlsClients() {}

    /** @param client the certificate to present, or null for none */
    public static SSLContext context(X509Certificate trustedCa, TestPki.Issued client) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(client == null ? null : new KeyManager[] {new AlwaysPresent(client)},
                    new TrustManager[] {trustManager(trustedCa)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An OkHttp client trusting {@code trustedCa}, presenting {@code client} (or none), speaking {@code protocols}
     * (e.g. HTTP_2 and HTTP_1_1 by ALPN); every host name resolves to the loopback address, so a test can use the
     * name its server certificate carries (and sends it by SNI).
     */
    public static OkHttpClient okHttp(X509Certificate trustedCa, TestPki.Issued client, List<Protocol> protocols) {
        return new OkHttpClient.Builder()
                .protocols(protocols)
                .sslSocketFactory(context(trustedCa, client).getSocketFactory(), trustManager(trustedCa))
                .dns(host -> List.of(InetAddress.getLoopbackAddress()))
                .callTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static X509TrustManager trustManager(X509Certificate trustedCa) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", trustedCa);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Connects to 127.0.0.1:{@code port} and completes the handshake, offering {@code http/1.1} by ALPN (what a raw
     * HTTP/1.1 client on the socket speaks).
     *
     * @param serverName the SNI name, or null to send none
     * @param protocols  the protocols to offer, e.g. TLSv1.2
     */
    public static SSLSocket connect(SSLContext context, int port, String serverName, String... protocols)
            throws IOException {
        return connect(context, port, serverName, List.of("http/1.1"), protocols);
    }

    /** As {@link #connect(SSLContext, int, String, String...)}, offering {@code alpn} (e.g. h2, http/1.1). */
    public static SSLSocket connect(SSLContext context, int port, String serverName, List<String> alpn,
                                    String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        parameters.setApplicationProtocols(alpn.toArray(new String[0]));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** The server's leaf certificate on a connected socket. */
    public static X509Certificate serverCertificate(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    /** Presents its one certificate to any server, whatever issuers it names. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final TestPki.Issued client;

        AlwaysPresent(TestPki.Issued client) {
            this.client = client;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, javax.net.ssl.SSLEngine e) {
            return "client";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {client.certificate()};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return client.key();
        }
    }
}
