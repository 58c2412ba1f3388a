package io.gatehouse.bench;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.security.Admission;
import io.gatehouse.security.AdmissionProgress;
import io.gatehouse.security.EdgeSecurity;
import io.gatehouse.security.RoutePolicy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cost per request of the security chain as the gateway runs it on a request head: IP rules, API key
 * (SHA-256 + constant-time compare), HS256 JWT (decode, verify, claims, roles, forwarded claims) and the CORS
 * headers of the response. {@code publicRoute} is the floor: the same call on a route with nothing to check.
 * Verified tokens are remembered, so {@code apiKeyJwtCors} is a client reusing its token and
 * {@code apiKeyJwtCorsFreshToken} one whose token the gateway has not seen.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class SecurityChainBenchmark {
    private static final String SECRET = "bench-secret-bench-secret-bench-secret-0123456789";
    private static final String KEY = "0123456789abcdef-bench-key";
    private static final String ORIGIN = "https://app.example.com";

    private ScheduledExecutorService scheduler;
    private EdgeSecurity security;
    private RoutePolicy full;
    private RoutePolicy apiKeyOnly;
    private RoutePolicy jwtOnly;
    private RoutePolicy open;
    private RoutePolicy limited;
    private HttpHeaders request;
    private HttpHeaders[] freshTokenRequests;
    private int next;
    private InetAddress client;
    /** 2.5 times a policy's key bound: nearly every request is a new key, evicting another. */
    private InetAddress[] floodClients;
    private int nextFlood;
    private final AdmissionProgress progress = new AdmissionProgress();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String yaml = """
                auth:
                  default: []
                  api_keys:
                    keys: [{id: bench, key: "%s", roles: [admin]}]
                  jwt:
                    issuer: https://idp.example.com
                    audience: gatehouse
                    algorithms: [HS256]
                    secret: "%s"
                    roles_claim: realm_access.roles
                    forward_claims: {sub: X-User-Id, email: X-User-Email}
                cors:
                  allowed_origins: [https://app.example.com, "https://*.example.com"]
                  allowed_methods: [GET, POST]
                  allow_credentials: true
                  exposed_headers: [X-Request-ID]
                ip_rules: {deny: [10.6.6.0/24]}
                rate_limit:
                  policies: [{id: per-ip, key: client_ip, limit: 1000000000, period: 1s}]
                routes:
                  - {id: full, match: {path_prefix: /full}, upstream: "http://127.0.0.1:9", auth: [api_key, jwt], roles: [admin]}
                  - {id: key, match: {path_prefix: /key}, upstream: "http://127.0.0.1:9", auth: [api_key]}
                  - {id: jwt, match: {path_prefix: /jwt}, upstream: "http://127.0.0.1:9", auth: [jwt]}
                  - {id: limited, match: {path_prefix: /limited}, upstream: "http://127.0.0.1:9", rate_limit: [per-ip]}
                  - {id: open, match: {path_prefix: /}, upstream: "http://127.0.0.1:9"}
                """.formatted(KEY, SECRET);
        GatewayConfig config = ConfigLoader.parse(yaml, Map.of());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        security = new EdgeSecurity(config, new GatewayMetrics(), scheduler);
        full = security.policy("full");
        apiKeyOnly = security.policy("key");
        jwtOnly = security.policy("jwt");
        open = security.policy("open");
        limited = security.policy("limited");
        request = requestWith(token("user-42"));
        // Ten times the verified-token cache: nearly every token is seen for the first time.
        freshTokenRequests = new HttpHeaders[100_000];
        for (int i = 0; i < freshTokenRequests.length; i++) {
            freshTokenRequests[i] = requestWith(token("user-" + i));
        }
        client = InetAddress.getByName("192.0.2.10");
        floodClients = new InetAddress[250_000];
        for (int i = 0; i < floodClients.length; i++) {
            floodClients[i] = InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
        }
        check(full.admit(request, client, null, fresh()));
        check(apiKeyOnly.admit(request, client, null, fresh()));
        check(jwtOnly.admit(request, client, null, fresh()));
    }

    private static String token(String subject) {
        return JWT.create().withIssuer("https://idp.example.com").withAudience("gatehouse")
                .withSubject(subject).withClaim("email", "user42@example.com")
                .withClaim("realm_access", Map.of("roles", java.util.List.of("admin", "reader")))
                .withExpiresAt(Instant.now().plusSeconds(3600))
                .sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpHeaders requestWith(String token) {
        return new DefaultHttpHeaders()
                .set("Host", "api.example.com")
                .set("X-API-Key", KEY)
                .set("Authorization", "Bearer " + token)
                .set("Origin", ORIGIN)
                .set("Accept", "application/json");
    }

    /** Each benchmark call is a new request. */
    private AdmissionProgress fresh() {
        progress.reset();
        return progress;
    }

    private static void check(Admission admission) {
        if (!(admission instanceof Admission.Admitted)) {
            throw new IllegalStateException("benchmark request not admitted: " + admission);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        security.close();
        scheduler.shutdownNow();
    }

    @Benchmark
    public Object publicRoute() {
        return open.admit(request, client, null, fresh());
    }

    /** A local token bucket per client address (a limit high enough that every request is admitted). */
    @Benchmark
    public Object rateLimitPerIp() {
        return limited.admit(request, client, null, fresh());
    }

    /** The same under a flood of distinct client addresses: each request makes a bucket and evicts one. */
    @Benchmark
    public Object rateLimitPerIpFlood() {
        InetAddress from = floodClients[nextFlood];
        nextFlood = nextFlood + 1 == floodClients.length ? 0 : nextFlood + 1;
        return limited.admit(request, from, null, fresh());
    }

    @Benchmark
    public Object apiKey() {
        return apiKeyOnly.admit(request, client, null, fresh());
    }

    @Benchmark
    public Object jwtHs256() {
        return jwtOnly.admit(request, client, null, fresh());
    }

    /** API key + HS256 JWT + roles, then the CORS headers of the response; the token was seen before. */
    @Benchmark
    public Object apiKeyJwtCors() {
        return wholeChain(request);
    }

    /**
     * The same, with a token the gateway has not verified before (decode and signature check included). Its
     * Jackson and crypto paths take longer to reach steady state, hence the longer warm-up.
     */
    @Benchmark
    @Warmup(iterations = 8, time = 1)
    public Object apiKeyJwtCorsFreshToken() {
        HttpHeaders fresh = freshTokenRequests[next];
        next = next + 1 == freshTokenRequests.length ? 0 : next + 1;
        return wholeChain(fresh);
    }

    private Object wholeChain(HttpHeaders headers) {
        Admission admission = full.admit(headers, client, null, fresh());
        HttpHeaders response = new DefaultHttpHeaders(false);
        full.cors().applyToResponse(ORIGIN, response);
        return admission;
    }
}
