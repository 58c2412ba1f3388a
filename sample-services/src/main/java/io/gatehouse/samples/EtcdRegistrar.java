package io.gatehouse.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one running service registered in etcd: puts {@code <prefix><host>:<port>} with a lease and keeps the
 * lease alive, so the gateways' etcd discovery adds the service while it runs and drops it when the lease expires
 * (a killed process) or is revoked ({@link #close}, a clean shutdown). A lease that expired meanwhile (etcd was
 * away too long) is replaced and the key put again.
 *
 * <p>Talks to etcd's v3 JSON gateway ({@code /v3/lease/grant}, {@code /v3/kv/put}, ...) with the JDK's HTTP client,
 * so the sample services need no etcd client library.
 */
final class EtcdRegistrar implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EtcdRegistration registration;
    private final String key;
    private final String value;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "etcd-registrar");
        t.setDaemon(true);
        return t;
    });
    // Confined to the registrar's thread.
    private String leaseId;
    private boolean failing;

    private EtcdRegistrar(EtcdRegistration registration, String name, int port, PrintStream log) {
        this.registration = registration;
        this.key = registration.key(port);
        ObjectNode member = JSON.createObjectNode().put("url", registration.url(port)).put("weight", 1).put("name", name);
        this.value = member.toString();
        this.log = log;
    }

    /** Registers in the background (retrying until etcd answers) and renews the lease every third of its TTL. */
    static EtcdRegistrar start(EtcdRegistration registration, String name, int port, PrintStream log) {
        EtcdRegistrar registrar = new EtcdRegistrar(registration, name, port, log);
        long periodMillis = Math.max(registration.leaseTtl().toMillis() / 3, 100);
        registrar.thread.scheduleWithFixedDelay(registrar::renew, 0, periodMillis, TimeUnit.MILLISECONDS);
        return registrar;
    }

    String key() {
        return key;
    }

    private void renew() {
        try {
            if (leaseId != null && !keepAlive()) {
                log.println("etcd lease of " + key + " expired; registering again");
                leaseId = null;
            }
            if (leaseId == null) {
                register();
            }
            if (failing) {
                failing = false;
                log.println("etcd reachable again; " + key + " is registered");
            }
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                log.println("warning: cannot reach etcd to register " + key + " (" + e.getMessage() + "); retrying");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void register() throws IOException, InterruptedException {
        JsonNode lease = call("/v3/lease/grant", JSON.createObjectNode().put("TTL", registration.leaseTtl().toSeconds()));
        String id = lease.path("ID").asText("");
        if (id.isEmpty()) {
            throw new IOException("no lease granted: " + lease);
        }
        call("/v3/kv/put", JSON.createObjectNode().put("key", base64(key)).put("value", base64(value)).put("lease", id));
        leaseId = id;
        log.println("registered " + key + " in etcd (lease TTL " + registration.leaseTtl().toSeconds() + " s)");
    }

    /** Whether the lease is still alive; etcd answers without a TTL for a lease that expired. */
    private boolean keepAlive() throws IOException, InterruptedException {
        JsonNode answer = call("/v3/lease/keepalive", JSON.createObjectNode().put("ID", leaseId));
        return answer.path("result").path("TTL").asLong(0) > 0;
    }

    /** Posts to the first endpoint that answers. */
    private JsonNode call(String path, ObjectNode body) throws IOException, InterruptedException {
        IOException last = null;
        for (String endpoint : registration.endpoints()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(CALL_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException(endpoint + path + " answered " + response.statusCode() + ": " + response.body());
                }
                return JSON.readTree(response.body());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Stops renewing and revokes the lease, which deletes the key at once. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (thread.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && leaseId != null) {
                call("/v3/lease/revoke", JSON.createObjectNode().put("ID", leaseId));
                log.println("deregistered " + key + " from etcd");
            }
        } catch (IOException e) {
            log.println("warning: cannot deregister " + key + " (" + e.getMessage() + "); its lease expires in "
                    + registration.leaseTtl().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
