package io.gatehouse.testing.grpc;

import com.google.rpc.ErrorInfo;
import io.gatehouse.testing.TestPki;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gRPC test peers on their own, client straight to server: what the gateway's tests expect through it. */
class EchoServerTest {
    private EchoServer server;
    private ManagedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            EchoChannels.close(channel);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyCallShapeOverCleartext() throws Exception {
        server = EchoServer.plaintext("a");
        channel = EchoChannels.plaintext(server.port());
        EchoCalls calls = new EchoCalls(channel);

        assertThat(calls.unary(EchoRequest.newBuilder().setText("hi").build()).getServer()).isEqualTo("a");
        assertThat(calls.serverStream(EchoRequest.newBuilder().setText("s").setReplies(3).build()).replies())
                .extracting(EchoReply::getIndex).containsExactly(0, 1, 2);
        assertThat(calls.clientStream(List.of(text("x"), text("y"), text("z"))).replies())
                .extracting(EchoReply::getText).containsExactly("x,y,z");
        assertThat(calls.bidi(List.of(text("p"), text("q"))).replies())
                .extracting(EchoReply::getText).containsExactly("p", "q");
        assertThat(server.calls()).isEqualTo(4);
    }

    @Test
    void failuresCarryTheirStatusAndDetailsBeforeOrAfterReplies() throws Exception {
        server = EchoServer.plaintext("a");
        channel = EchoChannels.plaintext(server.port());
        EchoCalls calls = new EchoCalls(channel);

        EchoCalls.Outcome trailersOnly = calls.serverStream(failing(Status.Code.NOT_FOUND, "no such thing", 0, 3));
        assertThat(trailersOnly.replies()).isEmpty();
        assertThat(trailersOnly.status().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(trailersOnly.status().getDescription()).isEqualTo("no such thing");
        assertThat(reason(trailersOnly)).isEqualTo("why-not");

        EchoCalls.Outcome afterTwo = calls.serverStream(failing(Status.Code.ABORTED, "half way", 2, 5));
        assertThat(afterTwo.replies()).hasSize(2);
        assertThat(afterTwo.status().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(reason(afterTwo)).isEqualTo("why-not");
    }

    @Test
    void aDelayedAnswerMissesItsDeadline() {
        server = EchoServer.plaintext("a");
        channel = EchoChannels.plaintext(server.port());

        assertThatThrownBy(() -> EchoGrpc.newBlockingStub(channel)
                .withDeadline(Deadline.after(50, TimeUnit.MILLISECONDS)).unary(EchoRequest.newBuilder().setDelayMillis(2_000).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }

    @Test
    void aServerFailingEveryCallAnswersBeforeAnyMessage() throws Exception {
        server = EchoServer.plaintext("a");
        server.failEveryCall(Status.UNAVAILABLE.withDescription("shedding"));
        channel = EchoChannels.plaintext(server.port());

        EchoCalls.Outcome outcome = new EchoCalls(channel).serverStream(text("x"));
        assertThat(outcome.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(outcome.replies()).isEmpty();
    }

    @Test
    void tlsWithAlpn(@TempDir Path dir) {
        TestPki.Authority ca = TestPki.authority("Echo CA");
        server = EchoServer.tls("t", ca.server("localhost").writeTo(dir, "echo"));
        channel = EchoChannels.tls(server.port(), ca.certificate(), "localhost");

        assertThat(EchoGrpc.newBlockingStub(channel).unary(text("secure")).getServer()).isEqualTo("t");
    }

    private static EchoRequest text(String text) {
        return EchoRequest.newBuilder().setText(text).build();
    }

    static EchoRequest failing(Status.Code code, String message, int afterReplies, int replies) {
        return EchoRequest.newBuilder().setText("f").setReplies(replies)
                .setFail(Failure.newBuilder().setCode(code.value()).setMessage(message).setDetailReason("why-not")
                        .setAfterReplies(afterReplies))
                .build();
    }

    private static String reason(EchoCalls.Outcome outcome) throws Exception {
        com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(outcome.status(), outcome.trailers());
        assertThat(details).as("grpc-status-details-bin").isNotNull();
        return details.getDetails(0).unpack(ErrorInfo.class).getReason();
    }
}
