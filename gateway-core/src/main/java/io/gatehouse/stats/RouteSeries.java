package io.gatehouse.stats;

import io.gatehouse.metrics.RouteMeters;
import io.micrometer.core.instrument.distribution.CountAtBucket;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One route's last {@link #CAPACITY} one-second samples: requests, 5xx answers and p99 latency, each the difference
 * between two readings of the route's meters. The arrays are a ring indexed by the sample's sequence number, and
 * exist only while the route has had a request in the last {@link #CAPACITY} samples: an idle route costs a few
 * fields, not 11 KB. Used by {@link RouteStats} under its lock.
 */
final class RouteSeries {
    /** Fifteen minutes of one-second samples. */
    static final int CAPACITY = 900;
    private static final double P99 = 0.99;

    private final String id;
    private final RouteMeters meters;
    private long requestsSeen;
    private long errorsSeen;
    /** Empty until the route's latency histogram exists (its first request registers it). */
    private double[] boundsMillis;
    /** Cumulative count at or under each bucket bound at the last sample that saw requests. */
    private long[] bucketsSeen;
    /** Scratch: each bucket's growth in this sample. */
    private long[] grown;

    private int[] requests;
    private int[] errors;
    /** 0 where there was no request. */
    private float[] p99Millis;
    /** Samples in a row without a request; at {@link #CAPACITY} the ring is all zeros and is let go. */
    private int idle;

    /** Starts from the meters' readings now: what they counted before is not this series'. */
    RouteSeries(String id, RouteMeters meters) {
        this.id = id;
        this.meters = meters;
        this.requestsSeen = meters.requestCount();
        this.errorsSeen = meters.serverErrorCount();
        readBuckets(meters.latencySnapshot().histogramCounts());
    }

    /** Takes the bucket bounds and their counts now as the ones seen. */
    private void readBuckets(CountAtBucket[] buckets) {
        boundsMillis = new double[buckets.length];
        bucketsSeen = new long[buckets.length];
        grown = new long[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            boundsMillis[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
            bucketsSeen[i] = (long) buckets[i].count();
        }
    }

    String id() {
        return id;
    }

    RouteMeters meters() {
        return meters;
    }

    /** Takes the sample of sequence number {@code sequence}. */
    void sample(long sequence) {
        int slot = (int) (sequence % CAPACITY);
        long requestsNow = meters.requestCount();
        long errorsNow = meters.serverErrorCount();
        int newRequests = delta(requestsNow, requestsSeen);
        int newErrors = delta(errorsNow, errorsSeen);
        requestsSeen = requestsNow;
        errorsSeen = errorsNow;
        if (newRequests == 0 && newErrors == 0) {
            if (requests != null) {
                requests[slot] = 0;
                errors[slot] = 0;
                p99Millis[slot] = 0;
                if (++idle >= CAPACITY) {
                    requests = null;
                    errors = null;
                    p99Millis = null;
                }
            }
            return;
        }
        if (requests == null) {
            requests = new int[CAPACITY];
            errors = new int[CAPACITY];
            p99Millis = new float[CAPACITY];
        }
        idle = 0;
        requests[slot] = newRequests;
        errors[slot] = newErrors;
        p99Millis[slot] = newRequests == 0 ? 0 : p99(newRequests);
    }

    /** Whether any of the samples held has a request or an error. */
    boolean active() {
        return requests != null;
    }

    /** Copies the samples after {@code from} up to {@code to} (sequence numbers), oldest first, into the arrays. */
    void copy(long from, long to, int[] requestsOut, int[] errorsOut, float[] p99Out) {
        int at = 0;
        for (long sequence = from + 1; sequence <= to; sequence++, at++) {
            int slot = (int) (sequence % CAPACITY);
            requestsOut[at] = requests[slot];
            errorsOut[at] = errors[slot];
            p99Out[at] = p99Millis[slot];
        }
    }

    /** The p99 of this second's requests, from how much each latency bucket grew since the last reading. */
    private float p99(int newRequests) {
        CountAtBucket[] buckets = meters.latencySnapshot().histogramCounts(); // the bounds never change once there
        if (buckets.length != boundsMillis.length) { // the histogram was registered since: all it holds is new
            readBuckets(buckets);
            Arrays.fill(bucketsSeen, 0);
        }
        for (int i = 0; i < buckets.length; i++) {
            long now = (long) buckets[i].count();
            grown[i] = Math.max(0, now - bucketsSeen[i]);
            bucketsSeen[i] = now;
        }
        long total = Math.max(newRequests, grown.length == 0 ? 0 : grown[grown.length - 1]);
        return Math.round(LatencyQuantile.of(P99, boundsMillis, grown, total) * 100) / 100f;
    }

    private static int delta(long now, long before) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, now - before));
    }
}
