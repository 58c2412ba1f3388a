package io.gatehouse.security;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What one rate-limit bucket is kept per, within one policy. Equal keys share a bucket in this process, and
 * {@link #text} names the bucket in Redis. That text is built only from values that mean the same in every gateway
 * process and after a restart (never an object identity, hash code or in-process counter), and it starts with the
 * key's kind, so that kinds cannot collide: consumer {@code 2130706433} is not client {@code 127.0.0.1}.
 */
sealed interface BucketKey {
    /** Everything under a {@code global} policy. */
    BucketKey GLOBAL = new Fixed("global");

    /** The stable name of the bucket within its policy, e.g. {@code ip:127.0.0.1} or {@code consumer:alice}. */
    String text();

    /** One route's bucket under a {@code route} policy; built once per route. */
    static BucketKey route(String routeId) {
        return new Fixed("route:" + routeId);
    }

    /** An IPv4 client by its address; an IPv6 client by its /64, as one host usually holds a whole /64. */
    static BucketKey client(InetAddress client) {
        byte[] a = client.getAddress();
        if (!(client instanceof Inet6Address)) {
            return new Ipv4(((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff));
        }
        long prefix = 0;
        for (int i = 0; i < 8; i++) {
            prefix = (prefix << 8) | (a[i] & 0xff);
        }
        return new Ipv6Prefix(prefix);
    }

    /** The authenticated consumer (API key id or token subject). */
    static BucketKey consumer(String id) {
        return new Named("consumer:", id);
    }

    /** The value of a {@code header:NAME} policy's header; absent counts as empty. */
    static BucketKey headerValue(String value) {
        return new Named("header:", value);
    }

    /** A key with one bucket per policy or route, whose text is its identity. */
    record Fixed(String text) implements BucketKey {
    }

    /** A named key of one kind; its text is built only when Redis needs it. */
    record Named(String kind, String name) implements BucketKey {
        @Override
        public String text() {
            return kind + name;
        }
    }

    /** {@code ip:} and the dotted quad. */
    record Ipv4(int address) implements BucketKey {
        @Override
        public String text() {
            return "ip:" + (address >>> 24) + '.' + ((address >>> 16) & 0xff) + '.' + ((address >>> 8) & 0xff) + '.'
                    + (address & 0xff);
        }
    }

    /** {@code ip:} and the /64 as four hexadecimal groups, e.g. {@code ip:2001:db8:0:1::/64}. */
    record Ipv6Prefix(long prefix) implements BucketKey {
        @Override
        public String text() {
            StringBuilder text = new StringBuilder("ip:");
            for (int shift = 48; shift >= 0; shift -= 16) {
                text.append(Long.toHexString((prefix >>> shift) & 0xffff)).append(':');
            }
            return text.append(":/64").toString();
        }
    }
}
