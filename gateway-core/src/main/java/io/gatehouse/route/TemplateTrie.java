package io.gatehouse.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Template routes in a segment trie, so a lookup costs the path's depth rather than the number of templates. */
final class TemplateTrie {
    private final Node root = new Node();
    private long depths;

    void add(PathTemplate template, CompiledRoute route) {
        Node node = root;
        for (int i = 0; i < template.segmentCount(); i++) {
            String literal = template.literal(i);
            if (literal == null) {
                if (node.placeholder == null) {
                    node.placeholder = new Node();
                }
                node = node.placeholder;
            } else {
                node = node.literals.computeIfAbsent(literal, key -> new Node());
            }
        }
        node.routes.add(route);
        depths |= Depths.bit(template.segmentCount());
    }

    /** The same templates, each route {@linkplain CompiledRoute#rehandled rehandled}. */
    TemplateTrie rehandled(UnaryOperator<Object> handles) {
        TemplateTrie copy = new TemplateTrie();
        root.copyInto(copy.root, handles);
        copy.depths = depths;
        return copy;
    }

    /** Whether some template has exactly {@code depth} segments (a path's depth is its segment count). */
    boolean hasDepth(int depth) {
        return Depths.contains(depths, depth);
    }

    /** Offers every template route whose template matches the path's segments. */
    void collect(String[] segments, Selection selection) {
        collect(root, segments, 0, selection);
    }

    private static void collect(Node node, String[] segments, int index, Selection selection) {
        if (index == segments.length) {
            selection.offerAll(node.routes);
            return;
        }
        String segment = segments[index];
        Node literal = node.literals.get(segment);
        if (literal != null) {
            collect(literal, segments, index + 1, selection);
        }
        if (node.placeholder != null && !segment.isEmpty()) {
            collect(node.placeholder, segments, index + 1, selection);
        }
    }

    private static final class Node {
        private final Map<String, Node> literals = new HashMap<>();
        private final List<CompiledRoute> routes = new ArrayList<>();
        private Node placeholder;

        void copyInto(Node copy, UnaryOperator<Object> handles) {
            copy.routes.addAll(CompiledRoute.rehandled(routes, handles));
            literals.forEach((literal, child) -> child.copyInto(copy.literals.computeIfAbsent(literal,
                    key -> new Node()), handles));
            if (placeholder != null) {
                copy.placeholder = new Node();
                placeholder.copyInto(copy.placeholder, handles);
            }
        }
    }
}
