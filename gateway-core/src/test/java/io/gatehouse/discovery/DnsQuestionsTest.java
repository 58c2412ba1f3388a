package io.gatehouse.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decoding answers as real servers write them, byte by byte. */
class DnsQuestionsTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
    private static final InetSocketAddress US = new InetSocketAddress("127.0.0.1", 40000);

    /** A reply to one question about {@code _http._tcp.users} (the name starts at offset 12) with one answer. */
    private static ByteBuf reply(int type, long ttl, byte[] rdata) {
        ByteBuf out = Unpooled.buffer();
        out.writeShort(1).writeShort(0x8180).writeShort(1).writeShort(1).writeShort(0).writeShort(0);
        for (String label : new String[] {"_http", "_tcp", "users"}) { // "users" at offset 23
            out.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeByte(0).writeShort(type).writeShort(1);
        out.writeShort(0xC00C).writeShort(type).writeShort(1).writeInt((int) ttl);
        out.writeShort(rdata.length).writeBytes(rdata);
        return out;
    }

    private static DnsAnswer decode(ByteBuf datagram, DnsRecordType type) throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramDnsResponseDecoder());
        channel.writeInbound(new DatagramPacket(datagram, US, SERVER));
        DnsResponse response = channel.readInbound();
        try {
            return DnsQuestions.decode(response, type);
        } finally {
            response.release();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void aCompressedSrvTargetIsFollowedIntoTheMessage() throws Exception {
        // priority 10, weight 5, port 8001, target "a" + pointer to "users" in the question: a.users
        byte[] rdata = {0, 10, 0, 5, 0x1F, 0x41, 1, 'a', (byte) 0xC0, 23};
        DnsAnswer answer = decode(reply(33, 30, rdata), DnsRecordType.SRV);
        assertThat(answer.services()).containsExactly(new DnsAnswer.SrvRecord(10, 5, 8001, "a.users"));
        assertThat(answer.ttlSeconds()).isEqualTo(30);
    }

    @Test
    void anAddressRecordKeepsItsTtl() throws Exception {
        DnsAnswer answer = decode(reply(1, 7, new byte[] {10, 0, 0, 5}), DnsRecordType.A);
        assertThat(answer.addresses()).containsExactly(InetAddress.getByName("10.0.0.5"));
        assertThat(answer.ttlSeconds()).isEqualTo(7);
    }
}
