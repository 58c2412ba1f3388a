package io.gatehouse.upstream.tls;

import io.gatehouse.testing.TestPki;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTPS backend on 127.0.0.1: OkHttp's MockWebServer over a JDK {@link SSLContext} made from TestPki material,
 * answering every request with 200 and {@code body}. With a client CA it requires a client certificate chaining to it.
 */
final class HttpsBackend implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();

    HttpsBackend(TestPki.Issued certificate, X509Certificate clientCa, String body) throws IOException {
        server.useHttps(context(certificate, clientCa).getSocketFactory());
        if (clientCa != null) {
            server.requireClientAuth();
        }
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body(body).build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    int port() {
        return server.getPort();
    }

    /** Every request received so far, oldest first; waits briefly for each (they are already recorded). */
    List<RecordedRequest> received() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        int count = server.getRequestCount();
        for (int i = 0; i < count; i++) {
            requests.add(server.takeRequest(1, TimeUnit.SECONDS));
        }
        return requests;
    }

    @Override
    public void close() {
        server.close();
    }

    private static SSLContext context(TestPki.Issued certificate, X509Certificate clientCa) {
        try {
            char[] password = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", certificate.key(), password,
                    new Certificate[] {certificate.certificate(), certificate.issuer()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            TrustManagerFactory trustManagers = null;
            if (clientCa != null) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                trusted.setCertificateEntry("client-ca", clientCa);
                trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trusted);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(),
                    trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
