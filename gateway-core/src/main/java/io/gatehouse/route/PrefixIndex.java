package io.gatehouse.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Prefix routes by prefix. A lookup probes the path itself and the path cut at each of its slashes,
 * which is exactly the set of prefixes that match on a segment boundary.
 */
final class PrefixIndex {
    /** Prefixes other than "/", which never end in '/'. */
    private final Map<String, List<CompiledRoute>> byPrefix = new HashMap<>();
    private final List<CompiledRoute> root = new ArrayList<>();
    private long depths;

    /** The same prefixes, each route {@linkplain CompiledRoute#rehandled rehandled}. */
    PrefixIndex rehandled(UnaryOperator<Object> handles) {
        PrefixIndex copy = new PrefixIndex();
        byPrefix.forEach((prefix, routes) -> copy.byPrefix.put(prefix, CompiledRoute.rehandled(routes, handles)));
        copy.root.addAll(CompiledRoute.rehandled(root, handles));
        copy.depths = depths;
        return copy;
    }

    /** @param prefix a normalized prefix without a trailing slash, or "/" */
    void add(String prefix, CompiledRoute route) {
        if (prefix.equals("/")) {
            root.add(route);
        } else {
            byPrefix.computeIfAbsent(prefix, key -> new ArrayList<>()).add(route);
            depths |= Depths.bit(Depths.of(prefix));
        }
    }

    /** @param depth {@link Depths#of} the path: only depths some prefix has are probed */
    void collect(String path, int depth, Selection selection) {
        if (Depths.contains(depths, depth)) {
            offer(byPrefix.get(path), selection);
        }
        int prefixDepth = depth;
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            prefixDepth--;
            if (Depths.contains(depths, prefixDepth)) {
                offer(byPrefix.get(path.substring(0, slash)), selection);
            }
        }
        selection.offerAll(root);
    }

    private static void offer(List<CompiledRoute> routes, Selection selection) {
        if (routes != null) {
            selection.offerAll(routes);
        }
    }
}
