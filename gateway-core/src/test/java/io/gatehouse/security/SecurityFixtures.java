package io.gatehouse.security;

import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.Sha256;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared setup of the {@code io.gatehouse.security} integration tests: API keys and their YAML, an echoing mock
 * backend, YAML route entries, an HTTP client and a raw-socket view of responses. Holds no tests itself.
 */
final class SecurityFixtures {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** How long a raw socket waits for bytes, so a hanging gateway fails a test quickly. */
    static final int SOCKET_TIMEOUT_MS = TestGateway.RAW_READ_TIMEOUT_MS;

    /** Plain key of consumer {@code dev-team}, role {@code reader}. */
    static final String DEV_KEY = "0123456789abcdef-dev";
    /** Key of consumer {@code ops}, role {@code admin}; the config holds only its SHA-256. */
    static final String OPS_KEY = "ops-0123456789abcdef-secret";
    static final String OPS_SHA256 = Sha256.hex(OPS_KEY);

    /** The two consumers: dev-team (plain key, reader) and ops (sha256, admin). */
    static final String KEYS_YAML = ""
            + "    keys:\n"
            + "      - {id: dev-team, key: \"" + DEV_KEY + "\", roles: [reader]}\n"
            + "      - {id: ops, sha256: " + OPS_SHA256 + ", roles: [admin]}\n";

    private static final Pattern ERROR_CODE = Pattern.compile("\"error\":\"([^\"]*)\"");
    private static final Pattern MESSAGE = Pattern.compile("\"message\":\"([^\"]*)\"");
    private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\"([^\"]*)\"");

    private SecurityFixtures() {}

    /** {@code auth:} with the given default methods, the X-API-Key header and {@link #KEYS_YAML}. */
    static String auth(String defaults) {
        return "auth:\n"
                + "  default: " + defaults + "\n"
                + "  api_keys:\n"
                + "    header: X-API-Key\n"
                + KEYS_YAML;
    }

    /** A started mock backend that answers every request 200 with its request target as the body. */
    static MockWebServer echoBackend() throws IOException {
        MockWebServer backend = new MockWebServer();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("echo " + request.getTarget()).build();
            }
        });
        backend.start(0);
        return backend;
    }

    /**
     * One {@code routes:} entry.
     *
     * @param match     the contents of the {@code match:} map, e.g. "path_prefix: /api"
     * @param extraKeys further route keys, one line each, e.g. "auth: []"
     */
    static String route(String id, String match, MockWebServer backend, String... extraKeys) {
        StringBuilder yaml = new StringBuilder()
                .append("  - id: ").append(id).append('\n')
                .append("    match: {").append(match).append("}\n")
                .append("    upstream: \"http://127.0.0.1:").append(backend.getPort()).append("\"\n");
        for (String key : extraKeys) {
            yaml.append("    ").append(key).append('\n');
        }
        return yaml.toString();
    }

    /** A gateway from top-level sections (may be empty) and {@link #route} entries. */
    static TestGateway gateway(String sectionsYaml, String... routes) {
        return TestGateway.start(sectionsYaml + "routes:\n" + String.join("", routes));
    }

    /** A request builder for {@code pathAndQuery} with {@code headers} as name, value pairs. */
    static HttpRequest.Builder request(TestGateway gateway, String pathAndQuery, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(gateway.uri(pathAndQuery)).timeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET pathAndQuery} with {@code headers} as name, value pairs. */
    static HttpResponse<String> get(TestGateway gateway, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        return send(request(gateway, pathAndQuery, headers));
    }

    /** A CORS preflight for {@code method} from {@code origin}. */
    static HttpResponse<String> preflight(TestGateway gateway, String path, String origin, String method,
                                          String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(gateway, path, headers)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method);
        return send(builder);
    }


    /** The targets of every request the backend has received and not yet been taken (waits briefly for more). */
    static List<String> drainTargets(MockWebServer backend) throws InterruptedException {
        List<String> targets = new ArrayList<>();
        RecordedRequest recorded;
        while ((recorded = backend.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            targets.add(recorded.getTarget());
        }
        return targets;
    }

    /** The {@code error} code of a gateway JSON error body, or null. */
    static String errorCode(String body) {
        return group(ERROR_CODE, body);
    }

    /** The {@code message} of a gateway JSON error body, or null. */
    static String message(String body) {
        return group(MESSAGE, body);
    }

    /** The {@code request_id} of a gateway JSON error body, or null. */
    static String requestIdIn(String body) {
        return group(REQUEST_ID, body);
    }

    private static String group(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? m.group(1) : null;
    }


    // ---- raw sockets, for what an HTTP client library would not send as written ----

    static RawHttp connect(TestGateway gateway) throws IOException {
        return gateway.connect();
    }

    static Reply exchange(TestGateway gateway, String request) throws IOException {
        return gateway.exchange(request);
    }

    /** An HTTP/1.1 request text without a body: {@code headerLines} are complete lines such as "X-A: 1". */
    static String rawRequest(String method, String target, String... headerLines) {
        return RawHttp.request(method, target, headerLines);
    }

    /**
     * The next response on {@code raw}, or null when the gateway closed the connection instead; fails the test
     * when the gateway does neither within the socket timeout.
     */
    static Reply nextResponseOrNullIfClosed(RawHttp raw) throws IOException {
        String text;
        try {
            text = raw.readResponse();
        } catch (InterruptedIOException e) {
            throw new AssertionError("the gateway neither answered nor closed the connection within "
                    + SOCKET_TIMEOUT_MS + " ms", e);
        } catch (SocketException e) {
            return null; // reset
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("connection closed after 0 bytes")) {
                return null; // clean end of stream before another response
            }
            throw e;
        }
        return Reply.parse(text);
    }

}
