package io.gatehouse.grpc;

import com.google.rpc.ErrorInfo;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.grpc.EchoCalls;
import io.gatehouse.testing.grpc.EchoChannels;
import io.gatehouse.testing.grpc.EchoReply;
import io.gatehouse.testing.grpc.EchoRequest;
import io.gatehouse.testing.grpc.EchoServer;
import io.gatehouse.testing.grpc.Failure;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * grpc-java client to the gateway to grpc-java servers, over cleartext HTTP/2 (h2c prior knowledge) and HTTP/2 over
 * TLS (ALPN) on both sides: every call shape streams through, the backend's statuses, messages and
 * {@code grpc-status-details-bin} arrive unchanged (trailers-only, and after two streamed messages), a deadline
 * expires as DEADLINE_EXCEEDED with the time left told to the backend, and a trailers-only UNAVAILABLE is retried on
 * the other backend. The gateway's own refusals: {@link GrpcErrorsOverHttp2Test}.
 */
class GrpcProxyIntegrationTest {
    private static final String SERVICE = "/gatehouse.test.Echo/";

    /** How the client reaches the gateway. */
    enum Transport { H2C, TLS }

    @TempDir
    static Path dir;
    private static TestPki.Authority ca;
    private static EchoServer a;
    private static EchoServer b;
    private static EchoServer secure;
    private static TestGateway gateway;
    private static ManagedChannel h2c;
    private static ManagedChannel tls;

    @BeforeAll
    static void start() {
        ca = TestPki.authority("gRPC test CA");
        Path caFile = ca.writeTo(dir.resolve("ca.pem"));
        TestPki.Files gatewayCert = ca.server("localhost").writeTo(dir, "gateway");
        a = EchoServer.plaintext("a");
        b = EchoServer.plaintext("b");
        secure = EchoServer.tls("secure", ca.server("localhost").writeTo(dir, "backend"));
        gateway = TestGateway.start("""
                server:
                  tls:
                    port: 0
                    certificates: [{cert: %s, key: %s}]
                pools:
                  echo: {backends: ["http://127.0.0.1:%d"], protocol: h2c}
                  pair: {backends: ["http://127.0.0.1:%d", "http://127.0.0.1:%d"], protocol: h2c}
                  secure: {backends: ["https://localhost:%d"], protocol: h2, tls: {ca: %s}}
                routes:
                  - {id: echo, match: {path_prefix: %s}, pool: echo, grpc: true}
                  - {id: secure, match: {path_prefix: %s, headers: {x-scenario: secure}}, pool: secure, grpc: true,
                     priority: 1}
                  - {id: retried, match: {path_prefix: %s, headers: {x-scenario: retried}}, pool: pair, grpc: true,
                     priority: 1, retry: {attempts: 2, grpc_status_codes: [unavailable]}}
                """.formatted(gatewayCert.cert(), gatewayCert.key(), a.port(), a.port(), b.port(), secure.port(), caFile,
                SERVICE, SERVICE, SERVICE));
        h2c = EchoChannels.plaintext(gateway.port());
        tls = EchoChannels.tls(gateway.tlsPort(), ca.certificate(), "localhost");
    }

    @AfterAll
    static void stop() {
        EchoChannels.close(h2c);
        EchoChannels.close(tls);
        gateway.close();
        a.close();
        b.close();
        secure.close();
    }

    private static EchoCalls calls(Transport transport) {
        return new EchoCalls(transport == Transport.H2C ? h2c : tls);
    }

    private static EchoCalls calls(Transport transport, String scenario) {
        return calls(transport).withHeaders(scenario(scenario));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyCallShapeStreamsThrough(Transport transport) throws Exception {
        EchoCalls calls = calls(transport);

        assertThat(calls.unary(text("one")).getServer()).isEqualTo("a");
        assertThat(calls.serverStream(EchoRequest.newBuilder().setText("s").setReplies(5).build()).replies())
                .extracting(EchoReply::getIndex).containsExactly(0, 1, 2, 3, 4);
        assertThat(calls.clientStream(List.of(text("x"), text("y"), text("z"))).replies())
                .extracting(EchoReply::getText).containsExactly("x,y,z");
        assertThat(calls.bidi(List.of(text("p"), text("q"), text("r"))).replies())
                .extracting(EchoReply::getText).containsExactly("p", "q", "r");
        assertThat(calls(transport, "secure").unary(text("to TLS")).getServer()).as("h2 over TLS to the backend")
                .isEqualTo("secure");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void backendStatusesAndDetailsArriveUnchanged(Transport transport) throws Exception {
        EchoCalls calls = calls(transport);

        EchoCalls.Outcome trailersOnly = calls.serverStream(failing(Status.Code.NOT_FOUND, "no order 7 \u2717", 0));
        assertThat(trailersOnly.replies()).isEmpty();
        assertFailure(trailersOnly, Status.Code.NOT_FOUND, "no order 7 \u2717");

        EchoCalls.Outcome afterTwo = calls.serverStream(failing(Status.Code.ABORTED, "half way", 2));
        assertThat(afterTwo.replies()).extracting(EchoReply::getIndex).containsExactly(0, 1);
        assertFailure(afterTwo, Status.Code.ABORTED, "half way");

        assertFailure(calls.unaryOutcome(failing(Status.Code.FAILED_PRECONDITION, "not yet", 0)),
                Status.Code.FAILED_PRECONDITION, "not yet");
        assertFailure(calls.bidi(List.of(text("ok"), failing(Status.Code.OUT_OF_RANGE, "too far", 0))),
                Status.Code.OUT_OF_RANGE, "too far");
    }

    @Test
    void aDeadlineExpiresAsDeadlineExceededAndTheBackendIsToldIt() throws Exception {
        int before = a.calls();
        EchoCalls.Outcome late = calls(Transport.H2C).withDeadlineMillis(400)
                .unaryOutcome(EchoRequest.newBuilder().setText("slow").setDelayMillis(5_000).build());

        assertThat(late.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(a.calls()).isEqualTo(before + 1);
        String forwarded = a.requestHeaders().get(before)
                .get(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER));
        assertThat(GrpcTimeout.parseNanos(forwarded)).isPositive()
                .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
    }

    @Test
    void aTrailersOnlyUnavailableIsRetriedOnTheOtherBackend() throws Exception {
        a.failEveryCall(Status.UNAVAILABLE.withDescription("shedding"));
        try {
            int shed = a.calls();
            for (int i = 0; i < 4; i++) {
                EchoReply reply = calls(i % 2 == 0 ? Transport.H2C : Transport.TLS, "retried")
                        .unary(text("call " + i));
                assertThat(reply.getServer()).isEqualTo("b");
            }
            assertThat(a.calls() - shed).as("first attempts on the shedding backend").isPositive();
            assertThat(gateway.metric("gatehouse_retries_total", "route=\"retried\"", "reason=\"grpc_status\""))
                    .isEqualTo(a.calls() - shed);
        } finally {
            a.failEveryCall(null);
        }
    }

    private static EchoRequest text(String text) {
        return EchoRequest.newBuilder().setText(text).build();
    }

    private static Metadata scenario(String name) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-scenario", Metadata.ASCII_STRING_MARSHALLER), name);
        return headers;
    }

    private static EchoRequest failing(Status.Code code, String message, int afterReplies) {
        return EchoRequest.newBuilder().setText("f").setReplies(5)
                .setFail(Failure.newBuilder().setCode(code.value()).setMessage(message).setDetailReason("why-" + code)
                        .setAfterReplies(afterReplies))
                .build();
    }

    private static void assertFailure(EchoCalls.Outcome outcome, Status.Code code, String message) throws Exception {
        assertThat(outcome.status().getCode()).isEqualTo(code);
        assertThat(outcome.status().getDescription()).isEqualTo(message);
        com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(outcome.status(), outcome.trailers());
        assertThat(details).as("grpc-status-details-bin").isNotNull();
        assertThat(details.getCode()).isEqualTo(code.value());
        ErrorInfo info = details.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("why-" + code);
        assertThat(info.getDomain()).isEqualTo(EchoServer.DETAIL_DOMAIN);
    }
}
