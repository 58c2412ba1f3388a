package io.gatehouse.discovery;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks one question of the DNS servers in order until one of them answers: NOERROR (records or none) and NXDOMAIN
 * are answers; a timeout, SERVFAIL, REFUSED or an unreadable reply moves on to the next server. The name is taken as
 * fully qualified (no search domains). Everything runs on the resolver's event loop; nothing blocks.
 */
final class DnsQuestions {
    private final DnsNameResolver resolver;
    private final EventLoop loop;
    private final List<InetSocketAddress> servers;

    DnsQuestions(DnsNameResolver resolver, EventLoop loop, List<InetSocketAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers: [] (expected at least one DNS server)");
        }
        this.resolver = resolver;
        this.loop = loop;
        this.servers = List.copyOf(servers);
    }

    /** Fails with a {@link DnsLookupException} when no server answered. */
    Future<DnsAnswer> ask(String name, DnsRecordType type) {
        Promise<DnsAnswer> promise = loop.newPromise();
        ask(name, type, 0, new ArrayList<>(), promise);
        return promise;
    }

    private void ask(String name, DnsRecordType type, int serverIndex, List<String> failures,
                     Promise<DnsAnswer> promise) {
        if (serverIndex == servers.size()) {
            promise.tryFailure(new DnsLookupException(type.name() + " " + name + ": " + String.join("; ", failures)));
            return;
        }
        InetSocketAddress server = servers.get(serverIndex);
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> query =
                resolver.query(server, new DefaultDnsQuestion(name, type));
        query.addListener(done -> {
            String failure = done.isSuccess() ? answered(query.getNow(), type, promise) : String.valueOf(done.cause());
            if (failure != null) {
                failures.add(server + " " + failure);
                ask(name, type, serverIndex + 1, failures, promise);
            }
        });
    }

    /** Completes {@code promise} and returns null, or returns why this server gave no answer. Releases the reply. */
    private static String answered(AddressedEnvelope<DnsResponse, InetSocketAddress> reply, DnsRecordType type,
                                   Promise<DnsAnswer> promise) {
        try {
            DnsResponseCode code = reply.content().code();
            if (code.equals(DnsResponseCode.NXDOMAIN)) {
                promise.trySuccess(DnsAnswer.NONE);
                return null;
            }
            if (!code.equals(DnsResponseCode.NOERROR)) {
                return code.toString();
            }
            promise.trySuccess(decode(reply.content(), type));
            return null;
        } catch (UnknownHostException | RuntimeException e) {
            return "unreadable answer: " + e;
        } finally {
            reply.release();
        }
    }

    /** The answer section's records of {@code type}; CNAMEs a recursive server followed only lower the TTL. */
    static DnsAnswer decode(DnsResponse response, DnsRecordType type) throws UnknownHostException {
        List<InetAddress> addresses = new ArrayList<>();
        List<DnsAnswer.SrvRecord> services = new ArrayList<>();
        long ttl = -1;
        int count = response.count(DnsSection.ANSWER);
        for (int i = 0; i < count; i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            ttl = ttl < 0 ? record.timeToLive() : Math.min(ttl, record.timeToLive());
            if (!record.type().equals(type) || !(record instanceof DnsRawRecord raw)) {
                continue;
            }
            if (type.equals(DnsRecordType.SRV)) {
                services.add(srv(raw.content()));
            } else {
                addresses.add(address(raw.content(), type));
            }
        }
        return new DnsAnswer(addresses, services, ttl);
    }

    private static InetAddress address(ByteBuf content, DnsRecordType type) throws UnknownHostException {
        int expected = type.equals(DnsRecordType.A) ? 4 : 16;
        if (content.readableBytes() != expected) {
            throw new IllegalArgumentException(type.name() + " record of " + content.readableBytes() + " bytes");
        }
        byte[] bytes = new byte[expected];
        content.getBytes(content.readerIndex(), bytes);
        return InetAddress.getByAddress(bytes); // raw bytes: no lookup
    }

    private static DnsAnswer.SrvRecord srv(ByteBuf content) {
        if (content.readableBytes() < 7) {
            throw new IllegalArgumentException("SRV record of " + content.readableBytes() + " bytes");
        }
        int at = content.readerIndex();
        // The record's content is a view of the whole message, so a compressed target's pointers resolve.
        String target = DefaultDnsRecordDecoder.decodeName(content.duplicate().readerIndex(at + 6));
        String withoutDot = target.length() > 1 ? target.substring(0, target.length() - 1) : target;
        return new DnsAnswer.SrvRecord(content.getUnsignedShort(at), content.getUnsignedShort(at + 2),
                content.getUnsignedShort(at + 4), withoutDot);
    }
}
