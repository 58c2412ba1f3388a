package io.gatehouse.route;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A parsed {@code path_template} such as {@code /orgs/{org}/users/{id}}; each {name} is one non-empty segment. */
final class PathTemplate {
    /** Per segment: the literal text, or null where the segment is a placeholder. */
    private final String[] literals;
    /** Per segment: the placeholder name, or null where the segment is literal. */
    private final String[] names;
    private final int literalCount;

    private PathTemplate(String[] literals, String[] names, int literalCount) {
        this.literals = literals;
        this.names = names;
        this.literalCount = literalCount;
    }

    static PathTemplate parse(String template) {
        if (template.isEmpty() || template.charAt(0) != '/') {
            throw new IllegalArgumentException("path_template must start with '/': " + template);
        }
        String[] segments = split(template);
        String[] literals = new String[segments.length];
        String[] names = new String[segments.length];
        Set<String> seen = new HashSet<>();
        int literalCount = 0;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1);
                if (hasBrace(name) || !seen.add(name)) {
                    throw new IllegalArgumentException("bad or repeated placeholder " + segment + " in " + template);
                }
                names[i] = name;
            } else if (hasBrace(segment) || (segment.isEmpty() && i < segments.length - 1)) {
                throw new IllegalArgumentException("bad segment '" + segment + "' in " + template);
            } else {
                literals[i] = segment;
                literalCount++;
            }
        }
        return new PathTemplate(literals, names, literalCount);
    }

    /** The segments of an absolute path: "/" gives [""], "/a/b/" gives ["a", "b", ""]. */
    static String[] split(String path) {
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] segments = new String[count];
        int start = 1;
        for (int i = 0; i < count; i++) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            segments[i] = path.substring(start, end);
            start = end + 1;
        }
        return segments;
    }

    private static boolean hasBrace(String text) {
        return text.indexOf('{') >= 0 || text.indexOf('}') >= 0;
    }

    int segmentCount() {
        return literals.length;
    }

    /** The literal text of segment {@code index}, or null when that segment is a placeholder. */
    String literal(int index) {
        return literals[index];
    }

    int literalCount() {
        return literalCount;
    }

    /** The placeholder values of a request path this template matched, given as its {@link #split} segments. */
    Map<String, String> extract(String[] pathSegments) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                params.put(names[i], pathSegments[i]);
            }
        }
        return params;
    }
}
