package io.gatehouse.stats;

/**
 * A quantile of the requests of one interval, from how many fell at or under each bucket bound (the difference of
 * two cumulative histogram readings), interpolated linearly inside the bucket it falls in, as Prometheus'
 * {@code histogram_quantile} does. A quantile beyond the last finite bound is that bound.
 */
final class LatencyQuantile {
    private LatencyQuantile() {}

    /**
     * @param q            in (0, 1], such as 0.99
     * @param upperBounds  the buckets' upper bounds, ascending
     * @param atOrUnder    per bucket, the requests of the interval at or under its bound (non-decreasing)
     * @param total        the requests of the interval, those over the last bound included
     * @return the quantile in the bounds' unit; 0 when {@code total} is 0
     */
    static double of(double q, double[] upperBounds, long[] atOrUnder, long total) {
        if (total <= 0) {
            return 0;
        }
        double rank = q * total;
        long below = 0;
        double lower = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            long here = atOrUnder[i];
            if (here >= rank) {
                return lower + (upperBounds[i] - lower) * (rank - below) / (here - below);
            }
            below = here;
            lower = upperBounds[i];
        }
        return upperBounds.length == 0 ? 0 : upperBounds[upperBounds.length - 1];
    }
}
