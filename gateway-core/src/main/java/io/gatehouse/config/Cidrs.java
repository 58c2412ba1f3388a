package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;

/** Binds a list of CIDR blocks, reporting each bad entry by its path. */
final class Cidrs {
    private Cidrs() {}

    static List<Cidr> bind(Node list) {
        List<Cidr> cidrs = new ArrayList<>();
        String expected = "expected a list of CIDRs such as [10.0.0.0/8, ::1/128]";
        for (Node element : list.elements(expected)) {
            String text = element.item(expected);
            if (text == null) {
                continue;
            }
            try {
                cidrs.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                element.error(e.getMessage()); // already names the value and what was expected
            }
        }
        return cidrs;
    }

    /** {@code ip_rules: {allow: [...], deny: [...]}}; {@link IpRules#NONE} when absent. */
    static IpRules rules(Node rules) {
        if (!rules.expectMap(List.of("allow", "deny"))) {
            return IpRules.NONE;
        }
        return new IpRules(bind(rules.get("allow")), bind(rules.get("deny")));
    }
}
