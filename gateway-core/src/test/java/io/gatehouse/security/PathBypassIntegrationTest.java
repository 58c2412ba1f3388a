package io.gatehouse.security;

import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.gatehouse.security.SecurityFixtures.OPS_KEY;
import static io.gatehouse.security.SecurityFixtures.auth;
import static io.gatehouse.security.SecurityFixtures.drainTargets;
import static io.gatehouse.security.SecurityFixtures.echoBackend;
import static io.gatehouse.security.SecurityFixtures.exchange;
import static io.gatehouse.security.SecurityFixtures.gateway;
import static io.gatehouse.security.SecurityFixtures.rawRequest;
import static io.gatehouse.security.SecurityFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dotted, doubled and encoded spellings of a protected path must not slip past its route's auth by landing on
 * the public catch-all: sent as written on a raw socket, none reaches the backend as an /admin path.
 */
class PathBypassIntegrationTest {
    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = echoBackend();
        gateway = gateway(auth("[]"),
                route("admin", "path_prefix: /admin", backend, "auth: [api_key]", "roles: [admin]"),
                route("public", "path_prefix: /", backend, "auth: []"));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/public/../admin/x", "/./admin", "//admin", "/%61dmin", "/admin%2fx", "/%2e%2e/admin",
            "/admin/./x", "/public/%2e%2e/admin", "/public/%2E%2E/admin/x", "/public/..%2fadmin", "///admin/x",
            "/public/./../admin", "/%2561dmin/../admin", "/public/.%2e/admin", "http://gateway.test/public/../admin"})
    void spellingOfAdminWithoutAKeyNeverReachesTheBackendAsAdmin(String target) throws Exception {
        Reply reply = exchange(gateway, rawRequest("GET", target));

        assertThat(reply.status()).as("%s -> %s", target, reply).isIn(400, 401, 404);
        List<String> targets = drainTargets(backend);
        assertThat(targets).as("requests at the backend for %s", target)
                .noneMatch(upstream -> resolvedPath(upstream).startsWith("/admin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin;x=1", "/admin;/x", "/public/..;/admin"})
    void pathParameterSpellingOfAdminWithoutAKeyNeverReachesTheBackendAsAdmin(String target) throws Exception {
        Reply reply = exchange(gateway, rawRequest("GET", target));

        assertThat(reply.status()).as("%s -> %s", target, reply).isIn(400, 401, 404);
        List<String> targets = drainTargets(backend);
        assertThat(targets).as("requests at the backend for %s", target)
                .noneMatch(upstream -> resolvedPathWithoutParameters(upstream).startsWith("/admin"));
    }

    @Test
    void dottedSpellingWithTheRightKeyReachesTheBackendNormalised() throws Exception {
        Reply reply = exchange(gateway, rawRequest("GET", "/public/%2e%2e/admin//x", "X-API-Key: " + OPS_KEY));

        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        assertThat(drainTargets(backend)).containsExactly("/admin/x");
    }

    @Test
    void publicPathsStillReachTheBackend() throws Exception {
        Reply reply = exchange(gateway, rawRequest("GET", "/public/page"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(drainTargets(backend)).containsExactly("/public/page");
    }

    /**
     * The path a lenient backend might act on: percent-decoded once, empty segments merged, dot segments
     * resolved, query dropped.
     */
    private static String resolvedPath(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        StringBuilder decoded = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
                decoded.append((char) Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                decoded.append(c);
            }
        }
        List<String> segments = new java.util.ArrayList<>();
        for (String segment : decoded.toString().replace('\\', '/').split("/")) {
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** As {@link #resolvedPath}, after removing each segment's {@code ;parameters} as servlet containers do. */
    private static String resolvedPathWithoutParameters(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        return resolvedPath(path.replaceAll(";[^/]*", ""));
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
