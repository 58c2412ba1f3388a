package io.gatehouse.proxy.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.WebSocketConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tunnel between two embedded channels: relaying, and where its own close frames go. */
class TunnelTest {
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final EmbeddedChannel backend = new EmbeddedChannel();
    private final List<EndReason> endings = new ArrayList<>();
    private Tunnel tunnel;

    @BeforeEach
    void open() {
        tunnel = new Tunnel(client.eventLoop(), WebSocketConfig.DEFAULTS, (reason, in, out) -> endings.add(reason));
        client.pipeline().addLast(tunnel.clientHandler(client));
        backend.pipeline().addLast(tunnel.backendHandler(backend));
        tunnel.start();
    }

    @AfterEach
    void release() {
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
    }

    /** An unmasked text frame, as a server sends. */
    private static ByteBuf serverText(String text) {
        byte[] bytes = text.getBytes();
        return Unpooled.buffer().writeByte(0x81).writeByte(bytes.length).writeBytes(bytes);
    }

    private static String hex(Object buf) {
        ByteBuf bytes = (ByteBuf) buf;
        try {
            return ByteBufUtil.hexDump(bytes);
        } finally {
            bytes.release();
        }
    }

    @Test
    void relaysBytesBothWaysUntouched() {
        backend.writeInbound(serverText("hi"));
        assertThat(hex(client.readOutbound())).isEqualTo("81026869");

        client.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, (byte) 0x80, 1, 2, 3, 4}));
        assertThat(hex(backend.readOutbound())).isEqualTo("818001020304");
    }

    @Test
    void itsOwnCloseFrameWaitsForTheEndOfAFrameUnderWayAndNothingFollowsIt() {
        ByteBuf frame = serverText("hello");
        backend.writeInbound(frame.readRetainedSlice(4)); // the backend is in the middle of a frame
        assertThat(hex(client.readOutbound())).isEqualTo("81056865");

        tunnel.drain();

        ByteBuf toBackend = backend.readOutbound(); // the client's stream is between frames: at once, masked
        assertThat(toBackend.getByte(0)).isEqualTo((byte) 0x88);
        assertThat(toBackend.getByte(1) & 0x80).as("masked").isEqualTo(0x80);
        int code = ((toBackend.getByte(6) ^ toBackend.getByte(2)) & 0xFF) << 8
                | (toBackend.getByte(7) ^ toBackend.getByte(3)) & 0xFF; // unmasked with the key in bytes 2 to 5
        assertThat(code).isEqualTo(1001);
        toBackend.release();
        assertThat((Object) client.readOutbound()).as("not inside the backend's frame").isNull();

        backend.writeInbound(Unpooled.wrappedBuffer(frame, serverText("dropped")));

        assertThat(hex(client.readOutbound())).isEqualTo("6c6c6f"); // the rest of the frame
        ByteBuf toClient = client.readOutbound();
        assertThat(toClient.getByte(0)).isEqualTo((byte) 0x88);
        assertThat(toClient.getShort(2)).as("unmasked, code 1001").isEqualTo((short) 1001);
        toClient.release();
        assertThat((Object) client.readOutbound()).as("what came after the frame is dropped").isNull();
    }

    @Test
    void endsOnceWhenBothConnectionsClosed() {
        backend.close();

        assertThat(client.isOpen()).isFalse();
        assertThat(endings).containsExactly(EndReason.BACKEND_GONE);
    }

    @Test
    void aCloseHandshakeClosesBothAndNamesWhoBeganIt() {
        byte[] clientClose = {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8}; // 1000, masked with zeros
        client.writeInbound(Unpooled.wrappedBuffer(clientClose));
        assertThat(hex(backend.readOutbound())).isEqualTo("8882000000" + "0003e8");

        backend.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, 0x02, 0x03, (byte) 0xE8}));
        assertThat(hex(client.readOutbound())).isEqualTo("880203e8");
        client.runPendingTasks();
        backend.runPendingTasks();

        assertThat(client.isOpen()).isFalse();
        assertThat(backend.isOpen()).isFalse();
        assertThat(endings).containsExactly(EndReason.CLIENT_CLOSE);
    }
}
