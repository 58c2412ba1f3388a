package io.gatehouse.security.jwt;

import io.gatehouse.security.jwt.JwkParser.Jwk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Downloads and parses the JWKS. The JDK client runs on its own two daemon threads, so neither the event loop
 * that asks for a fetch nor the parsing that follows it ever blocks a request.
 */
final class JwksClient implements AutoCloseable {
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final ExecutorService executor;
    /**
     * Made by the first fetch, not before: the JDK client starts a selector thread at once, which a configuration
     * that is compiled but never installed (a failed reload) would leave running until garbage collection.
     */
    private HttpClient http; // guarded by this

    JwksClient(URI uri) {
        this.uri = uri;
        this.executor = Executors.newFixedThreadPool(2, runnable -> { // threads start with the first fetch
            Thread thread = new Thread(runnable, "gatehouse-jwks");
            thread.setDaemon(true);
            return thread;
        });
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .executor(executor)
                    .connectTimeout(TIMEOUT)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        return http;
    }

    /**
     * Fetches the keys. Fails with the cause on a connection error, a non-2xx status, a body over
     * {@link #MAX_BODY_BYTES}, a document that is not a JWKS, or no answer within {@link #TIMEOUT}.
     */
    CompletableFuture<List<Jwk>> fetch() {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT) // until the headers arrive; orTimeout below also bounds a trickling body
                .header("Accept", "application/json")
                .GET()
                .build();
        if (executor.isShutdown()) {
            return CompletableFuture.failedFuture(new IOException("JWKS client closed"));
        }
        return http().sendAsync(request, JwksClient::body)
                .thenApply(JwksClient::keys)
                .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static HttpResponse.BodySubscriber<byte[]> body(HttpResponse.ResponseInfo info) {
        return isSuccess(info.statusCode())
                ? new BoundedBody(MAX_BODY_BYTES)
                : HttpResponse.BodySubscribers.replacing(null);
    }

    private static List<Jwk> keys(HttpResponse<byte[]> response) {
        if (!isSuccess(response.statusCode())) {
            throw new CompletionException(new IOException("JWKS endpoint answered " + response.statusCode()));
        }
        return JwkParser.parse(response.body());
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** The URL without user info or query, for log lines. */
    @Override
    public String toString() {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
    }

    /** Stops the client's threads; a fetch still running fails. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
