package io.gatehouse.security;

import io.gatehouse.config.IpRules;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;

/** The global IP rules, then the route's: a client either denies is refused with 403. */
final class IpRulesStep implements AdmissionStep {
    private final IpRules global;
    private final IpRules route;
    private final SecurityRejections rejections;

    IpRulesStep(IpRules global, IpRules route, SecurityRejections rejections) {
        this.global = global;
        this.route = route;
        this.rejections = rejections;
    }

    /** False when neither list says anything: the chain leaves the step out. */
    boolean restricts() {
        return !global.isEmpty() || !route.isEmpty();
    }

    boolean permits(InetAddress client) {
        return global.permits(client) && route.permits(client);
    }

    @Override
    public Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        return permits(client) ? null : new Admission.Refused(rejections.ipDenied());
    }
}
