package io.gatehouse.discovery;

import java.net.InetAddress;
import java.util.List;

/**
 * What one DNS server answered to one question, decoded and detached from Netty's reference-counted buffers.
 * NXDOMAIN and an answer without records of the asked type (NODATA) both read as no records: the name has none.
 *
 * @param addresses  the A or AAAA records' addresses (empty for other questions)
 * @param services   the SRV records (empty for other questions)
 * @param ttlSeconds the smallest TTL among the answer's records; -1 when it has none
 */
record DnsAnswer(List<InetAddress> addresses, List<SrvRecord> services, long ttlSeconds) {
    static final DnsAnswer NONE = new DnsAnswer(List.of(), List.of(), -1);

    DnsAnswer {
        addresses = List.copyOf(addresses);
        services = List.copyOf(services);
    }

    /** One SRV record (RFC 2782); {@code target} has no trailing dot, and {@code "."} means "no service here". */
    record SrvRecord(int priority, int weight, int port, String target) {}
}
