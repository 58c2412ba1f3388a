package io.gatehouse.route;

/**
 * Sets of path depths (the number of '/' in a path) as a bit mask, so a lookup skips the depths no route of a
 * kind has. Depths of 63 and more share one bit, which only makes the test conservative.
 */
final class Depths {
    private Depths() {}

    static long bit(int depth) {
        return 1L << Math.min(depth, 63);
    }

    static boolean contains(long mask, int depth) {
        return (mask & bit(depth)) != 0;
    }

    static int of(String path) {
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }
}
