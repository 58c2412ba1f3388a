package io.gatehouse.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.grpc.EchoCalls;
import io.gatehouse.testing.grpc.EchoChannels;
import io.gatehouse.testing.grpc.EchoReply;
import io.gatehouse.testing.grpc.EchoRequest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The gateway's own refusals as a grpc-java client gets them over HTTP/2, cleartext (prior knowledge) and TLS
 * (ALPN): a gRPC status with the error code in its message, for no route, a missing API key, a rate limit, a backend
 * that is down and the route's own timeout, whatever the call's shape. And a backend's trailers-only answer, which
 * the exchange relays as a head and an end, reaches the client as the one HEADERS frame it was
 * ({@code EndStreamMerger}), its status, message and details whole.
 */
class GrpcErrorsOverHttp2Test {
    private static final String SERVICE = "/gatehouse.test.Echo/";
    private static final com.google.rpc.Status STATUS = com.google.rpc.Status.newBuilder().setCode(5)
            .setMessage("no order 7 \u2717")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("unknown_order").setDomain("orders").build()))
            .build();
    /** {@code grpc-status-details-bin} as the backend sends it: base64, unpadded. */
    private static final String DETAILS = Base64.getEncoder().withoutPadding().encodeToString(STATUS.toByteArray());

    enum Transport { H2C, TLS }

    @TempDir
    static Path dir;
    private static MockWebServer slow;
    private static MockWebServer answering;
    private static TestGateway gateway;
    private static ManagedChannel h2c;
    private static ManagedChannel tls;

    @BeforeAll
    static void start() throws IOException {
        TestPki.Authority ca = TestPki.authority("gRPC test CA");
        TestPki.Files certificate = ca.server("localhost").writeTo(dir, "gateway");
        slow = new MockWebServer();
        slow.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).build());
        slow.start();
        answering = new MockWebServer();
        answering.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", "application/grpc")
                .addHeader("grpc-status", "5").addHeader("grpc-message", "no order 7 %E2%9C%97")
                .addHeader("grpc-status-details-bin", DETAILS).build());
        answering.start();
        int down = closedPort();
        gateway = TestGateway.start("""
                server:
                  tls:
                    port: 0
                    certificates: [{cert: %s, key: %s}]
                auth:
                  default: []
                  api_keys: {keys: [{id: team, key: grpc-key-0123456789abcdef}]}
                rate_limit:
                  backend: local
                  policies: [{id: once, key: global, limit: 1, period: 1h}]
                routes:
                  - {id: keyed, match: {path_prefix: %s, headers: {x-scenario: keyed}}, upstream: "http://127.0.0.1:%d",
                     auth: [api_key]}
                  - {id: limited, match: {path_prefix: %s, headers: {x-scenario: limited}},
                     upstream: "http://127.0.0.1:%d", rate_limit: [once]}
                  - {id: slow, match: {path_prefix: %s, headers: {x-scenario: slow}}, upstream: "http://127.0.0.1:%d",
                     grpc: true, request_timeout: 300ms}
                  - {id: answering, match: {path_prefix: %s, headers: {x-scenario: answering}},
                     upstream: "http://127.0.0.1:%d", grpc: true}
                  - {id: down, match: {path_prefix: %s}, upstream: "http://127.0.0.1:%d", grpc: true}
                """.formatted(certificate.cert(), certificate.key(), SERVICE, down, SERVICE, down, SERVICE,
                slow.getPort(), SERVICE, answering.getPort(), SERVICE, down));
        h2c = EchoChannels.plaintext(gateway.port());
        tls = EchoChannels.tls(gateway.tlsPort(), ca.certificate(), "localhost");
    }

    @AfterAll
    static void stop() {
        EchoChannels.close(h2c);
        EchoChannels.close(tls);
        gateway.close();
        slow.close();
        answering.close();
    }

    private static ManagedChannel channel(Transport transport) {
        return transport == Transport.H2C ? h2c : tls;
    }

    private static EchoCalls calls(Transport transport, String scenario) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-scenario", Metadata.ASCII_STRING_MARSHALLER), scenario);
        return new EchoCalls(channel(transport)).withHeaders(headers);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMethodWithoutARouteIsUnimplemented(Transport transport) {
        MethodDescriptor<EchoRequest, EchoReply> unrouted = MethodDescriptor.<EchoRequest, EchoReply>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("gatehouse.test.Elsewhere/Unary")
                .setRequestMarshaller(ProtoUtils.marshaller(EchoRequest.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(EchoReply.getDefaultInstance()))
                .build();

        Throwable failure = catchThrowable(() -> ClientCalls.blockingUnaryCall(channel(transport), unrouted,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), text("x")));

        Status status = Status.fromThrowable(failure);
        assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(status.getDescription()).isEqualTo("route_not_found: no route for /gatehouse.test.Elsewhere/Unary");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMissingApiKeyIsUnauthenticatedWhateverTheCallsShape(Transport transport) throws Exception {
        EchoCalls calls = calls(transport, "keyed");

        assertRefused(calls.unaryOutcome(text("x")), Status.Code.UNAUTHENTICATED, "unauthorized");
        assertRefused(calls.serverStream(text("x")), Status.Code.UNAUTHENTICATED, "unauthorized");
        assertRefused(calls.clientStream(List.of(text("x"), text("y"))), Status.Code.UNAUTHENTICATED, "unauthorized");
        assertRefused(calls.bidi(List.of(text("x"), text("y"))), Status.Code.UNAUTHENTICATED, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBackendThatIsDownIsUnavailable(Transport transport) throws Exception {
        assertRefused(calls(transport, "any").unaryOutcome(text("x")), Status.Code.UNAVAILABLE, "bad_gateway");
        assertRefused(calls(transport, "any").bidi(List.of(text("x"))), Status.Code.UNAVAILABLE, "bad_gateway");
    }

    @Test
    void aRateLimitIsResourceExhausted() throws Exception {
        // The first call spends the one token (and finds the backend down); the second is over the limit.
        assertRefused(calls(Transport.H2C, "limited").unaryOutcome(text("first")), Status.Code.UNAVAILABLE,
                "bad_gateway");
        EchoCalls.Outcome limited = calls(Transport.TLS, "limited").unaryOutcome(text("second"));
        assertRefused(limited, Status.Code.RESOURCE_EXHAUSTED, "rate_limited");
        assertThat(limited.trailers().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))
                .isNotNull();
    }

    @Test
    void theRoutesTimeoutIsDeadlineExceeded() throws Exception {
        assertRefused(calls(Transport.H2C, "slow").unaryOutcome(text("x")), Status.Code.DEADLINE_EXCEEDED,
                "gateway_timeout");
    }

    @Test
    void aBackendsTrailersOnlyAnswerArrivesWithItsStatusAndDetails() throws Exception {
        EchoCalls.Outcome outcome = calls(Transport.H2C, "answering").unaryOutcome(text("order 7"));

        assertThat(outcome.status().getCode()).as("%s", outcome.status()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(outcome.status().getDescription()).isEqualTo("no order 7 \u2717");
        assertThat(StatusProto.fromStatusAndTrailers(outcome.status(), outcome.trailers())).isEqualTo(STATUS);
    }

    private static EchoRequest text(String text) {
        return EchoRequest.newBuilder().setText(text).build();
    }

    private static void assertRefused(EchoCalls.Outcome outcome, Status.Code code, String errorCode) {
        assertThat(outcome.status().getCode()).as("%s", outcome.status()).isEqualTo(code);
        assertThat(outcome.status().getDescription()).startsWith(errorCode + ": ");
        assertThat(outcome.replies()).isEmpty();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
