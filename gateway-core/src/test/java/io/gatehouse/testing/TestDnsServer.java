package io.gatehouse.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server over UDP on 127.0.0.1 and a free port, built on Netty's DNS codec, whose answers
 * tests change while it runs: A, AAAA and SRV records with their TTL, NXDOMAIN, SERVFAIL, or no reply at all. A name
 * it was never told about gets NXDOMAIN; a known name without records of the asked type gets an empty answer.
 */
public final class TestDnsServer implements AutoCloseable {
    /** One SRV record; {@code target} is a name this or another server resolves. */
    public record Srv(int priority, int weight, int port, String target) {}

    /** How a name is answered; {@code null} code means no reply (the server seems down for that name). */
    private record Zone(DnsResponseCode code, Map<DnsRecordType, RecordSet> records) {}

    private record RecordSet(long ttl, List<byte[]> rdata) {}

    private final Map<String, Zone> zones = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    private TestDnsServer() throws InterruptedException {
        channel = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Responder());
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    public static TestDnsServer start() {
        try {
            return new TestDnsServer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code 127.0.0.1:port}, as written in {@code discovery.dns.servers}. */
    public String address() {
        return "127.0.0.1:" + socketAddress().getPort();
    }

    public InetSocketAddress socketAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Answers A questions for {@code name} with these IPv4 addresses (none: an empty answer). */
    public TestDnsServer a(String name, long ttl, String... addresses) {
        return records(name, DnsRecordType.A, ttl, addressBytes(addresses));
    }

    /** Answers AAAA questions for {@code name} with these IPv6 addresses (none: an empty answer). */
    public TestDnsServer aaaa(String name, long ttl, String... addresses) {
        return records(name, DnsRecordType.AAAA, ttl, addressBytes(addresses));
    }

    /** Answers SRV questions for {@code name} with these records (none: an empty answer). */
    public TestDnsServer srv(String name, long ttl, Srv... records) {
        List<byte[]> rdata = new ArrayList<>();
        for (Srv srv : records) {
            ByteBuf out = Unpooled.buffer();
            out.writeShort(srv.priority()).writeShort(srv.weight()).writeShort(srv.port());
            writeName(out, srv.target());
            rdata.add(bytes(out));
        }
        return records(name, DnsRecordType.SRV, ttl, rdata);
    }

    /** Answers every question for {@code name} with NXDOMAIN, forgetting its records. */
    public TestDnsServer nxdomain(String name) {
        zones.put(key(name), new Zone(DnsResponseCode.NXDOMAIN, Map.of()));
        return this;
    }

    /** Answers every question for {@code name} with SERVFAIL, keeping its records for {@link #recover}. */
    public TestDnsServer servfail(String name) {
        return mode(name, DnsResponseCode.SERVFAIL);
    }

    /** Leaves questions for {@code name} unanswered (the asker times out), keeping its records. */
    public TestDnsServer silence(String name) {
        return mode(name, null);
    }

    /** Answers {@code name} from its records again after {@link #servfail} or {@link #silence}. */
    public TestDnsServer recover(String name) {
        return mode(name, DnsResponseCode.NOERROR);
    }

    /** How many questions about {@code name} (any type) arrived so far. */
    public int queries(String name) {
        AtomicInteger count = queries.get(key(name));
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TestDnsServer records(String name, DnsRecordType type, long ttl, List<byte[]> rdata) {
        zones.compute(key(name), (k, zone) -> {
            Map<DnsRecordType, RecordSet> records = zone == null ? new HashMap<>() : new HashMap<>(zone.records());
            records.put(type, new RecordSet(ttl, List.copyOf(rdata)));
            DnsResponseCode code = zone == null || DnsResponseCode.NXDOMAIN.equals(zone.code())
                    ? DnsResponseCode.NOERROR : zone.code();
            return new Zone(code, Map.copyOf(records));
        });
        return this;
    }

    private TestDnsServer mode(String name, DnsResponseCode code) {
        zones.compute(key(name), (k, zone) -> new Zone(code, zone == null ? Map.of() : zone.records()));
        return this;
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static List<byte[]> addressBytes(String... addresses) {
        List<byte[]> out = new ArrayList<>();
        for (String address : addresses) {
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
            if (bytes == null) {
                throw new IllegalArgumentException("not an IP address: " + address);
            }
            out.add(bytes);
        }
        return out;
    }

    private static void writeName(ByteBuf out, String name) {
        for (String label : key(name).split("\\.")) {
            if (!label.isEmpty()) {
                byte[] ascii = label.getBytes(StandardCharsets.US_ASCII);
                out.writeByte(ascii.length).writeBytes(ascii);
            }
        }
        out.writeByte(0);
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        buf.release();
        return out;
    }

    /** Answers each query from {@link #zones}. */
    private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String name = key(question.name());
            queries.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            Zone zone = zones.getOrDefault(name, new Zone(DnsResponseCode.NXDOMAIN, Map.of()));
            if (zone.code() == null) {
                return;
            }
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id(),
                    DnsOpCode.QUERY, zone.code());
            response.setAuthoritativeAnswer(true);
            response.setRecursionDesired(query.isRecursionDesired());
            response.addRecord(DnsSection.QUESTION, question);
            RecordSet records = zone.code().equals(DnsResponseCode.NOERROR) ? zone.records().get(question.type()) : null;
            if (records != null) {
                for (byte[] rdata : records.rdata()) {
                    // The asker's spelling of the name (resolvers may randomise its case).
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), question.type(),
                            records.ttl(), Unpooled.wrappedBuffer(rdata)));
                }
            }
            ctx.writeAndFlush(response);
        }
    }
}
