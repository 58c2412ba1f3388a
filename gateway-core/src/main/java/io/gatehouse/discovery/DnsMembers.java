package io.gatehouse.discovery;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.DiscoveryConfig;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseNotifier;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One round of lookups that turns a pool's DNS discovery into its members, on the resolver's event loop.
 * A and AAAA: each address at the configured port, weight 1. SRV: each record's target resolved to its IPv4
 * addresses (IPv6 when it has none), with the record's port and weight (0 counts as 1, at most 1000); only the
 * lowest priority value whose targets have addresses is used, the others being backups (RFC 2782).
 */
final class DnsMembers {
    private static final int MAX_WEIGHT = 1000;
    private static final Comparator<BackendConfig> ORDER =
            Comparator.comparing(BackendConfig::host).thenComparingInt(BackendConfig::port);

    /**
     * @param members    sorted, so that two rounds with the same members compare equal whatever the record order
     * @param ttlSeconds the smallest TTL of the records read; -1 when there were none
     */
    record Resolved(List<BackendConfig> members, long ttlSeconds) {}

    private final DiscoveryConfig.Dns config;
    private final DnsQuestions questions;
    private final EventLoop loop;

    DnsMembers(DiscoveryConfig.Dns config, DnsQuestions questions, EventLoop loop) {
        this.config = config;
        this.questions = questions;
        this.loop = loop;
    }

    Future<Resolved> resolve() {
        Promise<Resolved> promise = loop.newPromise();
        DnsRecordType type = switch (config.type()) {
            case A -> DnsRecordType.A;
            case AAAA -> DnsRecordType.AAAA;
            case SRV -> DnsRecordType.SRV;
        };
        questions.ask(config.name(), type).addListener((Future<DnsAnswer> done) -> {
            if (!done.isSuccess()) {
                promise.tryFailure(done.cause());
            } else if (type.equals(DnsRecordType.SRV)) {
                resolveTargets(done.getNow(), promise);
            } else {
                DnsAnswer answer = done.getNow();
                List<BackendConfig> members = new ArrayList<>();
                answer.addresses().forEach(address -> members.add(member(address, config.port(), 1)));
                promise.trySuccess(new Resolved(sorted(members), answer.ttlSeconds()));
            }
        });
        return promise;
    }

    /** Asks for every distinct target's addresses at once; fails when any of those lookups gets no answer. */
    private void resolveTargets(DnsAnswer srv, Promise<Resolved> promise) {
        Map<String, DnsAnswer> targets = new LinkedHashMap<>();
        for (DnsAnswer.SrvRecord record : srv.services()) {
            if (!record.target().equals(".")) { // "." says the service is decidedly not available there
                targets.put(record.target(), null);
            }
        }
        if (targets.isEmpty()) {
            promise.trySuccess(new Resolved(List.of(), srv.ttlSeconds()));
            return;
        }
        for (String target : List.copyOf(targets.keySet())) {
            addressesOf(target).addListener((Future<DnsAnswer> done) -> {
                if (!done.isSuccess()) {
                    promise.tryFailure(done.cause());
                    return;
                }
                targets.put(target, done.getNow()); // listeners all run on the one loop: no races
                if (!targets.containsValue(null)) {
                    promise.trySuccess(fromServices(srv, targets));
                }
            });
        }
    }

    private Future<DnsAnswer> addressesOf(String target) {
        Promise<DnsAnswer> promise = loop.newPromise();
        questions.ask(target, DnsRecordType.A).addListener((Future<DnsAnswer> v4) -> {
            if (v4.isSuccess() && v4.getNow().addresses().isEmpty()) {
                PromiseNotifier.cascade(questions.ask(target, DnsRecordType.AAAA), promise);
            } else {
                PromiseNotifier.cascade(v4, promise);
            }
        });
        return promise;
    }

    private static Resolved fromServices(DnsAnswer srv, Map<String, DnsAnswer> targets) {
        long ttl = srv.ttlSeconds();
        for (DnsAnswer target : targets.values()) {
            ttl = minTtl(ttl, target.ttlSeconds());
        }
        TreeMap<Integer, List<DnsAnswer.SrvRecord>> byPriority = new TreeMap<>();
        for (DnsAnswer.SrvRecord record : srv.services()) {
            byPriority.computeIfAbsent(record.priority(), p -> new ArrayList<>()).add(record);
        }
        for (List<DnsAnswer.SrvRecord> group : byPriority.values()) {
            Map<String, BackendConfig> members = new LinkedHashMap<>();
            for (DnsAnswer.SrvRecord record : group) {
                DnsAnswer addresses = targets.get(record.target());
                int weight = Math.min(MAX_WEIGHT, Math.max(1, record.weight()));
                for (InetAddress address : addresses == null ? List.<InetAddress>of() : addresses.addresses()) {
                    BackendConfig member = member(address, record.port(), weight);
                    members.putIfAbsent(member.address(), member);
                }
            }
            if (!members.isEmpty()) {
                return new Resolved(sorted(new ArrayList<>(members.values())), ttl);
            }
        }
        return new Resolved(List.of(), ttl);
    }

    private static long minTtl(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static BackendConfig member(InetAddress address, int port, int weight) {
        String host = NetUtil.toAddressString(address); // RFC 5952 form for IPv6, e.g. ::1
        String uriHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return new BackendConfig("http://" + uriHost + ":" + port, host, port, weight);
    }

    private static List<BackendConfig> sorted(List<BackendConfig> members) {
        members.sort(ORDER);
        return List.copyOf(members);
    }
}
