package io.gatehouse.security;

import io.gatehouse.context.Rejection;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/** Requires one of the route's roles, held by the API key's consumer or granted by the token: else 403. */
final class RolesStep implements AdmissionStep {
    private final Set<String> roles;
    private final SecurityRejections rejections;
    private final Rejection missingRole;

    /** @param bearer whether the route takes tokens, so the 403 says {@code insufficient_scope} */
    RolesStep(List<String> roles, boolean bearer, SecurityRejections rejections) {
        this.roles = Set.copyOf(roles);
        this.rejections = rejections;
        this.missingRole = SecurityRejections.missingRoleRejection(roles, bearer);
    }

    @Override
    public Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        Consumer consumer = progress.consumer();
        if (consumer != null && anyRole(consumer.roles())) {
            return null;
        }
        var token = progress.token();
        if (token != null && anyRole(token.roles())) {
            return null;
        }
        return rejections.missingRole(missingRole);
    }

    private boolean anyRole(List<String> held) {
        for (int i = 0; i < held.size(); i++) {
            if (roles.contains(held.get(i))) {
                return true;
            }
        }
        return false;
    }
}
