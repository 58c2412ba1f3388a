package io.gatehouse.config;

import java.net.InetAddress;
import java.util.List;

/**
 * {@code ip_rules:} (global, or a route's own): a client is let through when it is in no {@code deny} block and,
 * if {@code allow} is not empty, in one of its blocks. Deny wins.
 */
public record IpRules(List<Cidr> allow, List<Cidr> deny) {
    public static final IpRules NONE = new IpRules(List.of(), List.of());

    public IpRules {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }

    public boolean permits(InetAddress client) {
        for (int i = 0; i < deny.size(); i++) {
            if (deny.get(i).contains(client)) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (int i = 0; i < allow.size(); i++) {
            if (allow.get(i).contains(client)) {
                return true;
            }
        }
        return false;
    }
}
