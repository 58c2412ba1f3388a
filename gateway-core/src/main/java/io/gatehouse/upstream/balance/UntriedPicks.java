package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A retry's random pick among the members a request has not tried yet. Random, not "the next one after the failed
 * backend": that would send all of a dead backend's retries to its one neighbour. Thread-local randomness is the
 * only state, so no other request's pick is affected.
 */
final class UntriedPicks {
    private UntriedPicks() {}

    /** Each untried member alike; {@code null} when every member was tried. */
    static Backend uniform(Backend[] members, List<Backend> tried) {
        return pick(members, tried, false);
    }

    /** Each untried member in proportion to its weight; {@code null} when every member was tried. */
    static Backend weighted(Backend[] members, List<Backend> tried) {
        return pick(members, tried, true);
    }

    private static Backend pick(Backend[] members, List<Backend> tried, boolean byWeight) {
        long total = 0;
        for (Backend member : members) {
            if (!tried.contains(member)) {
                total += byWeight ? member.weight() : 1;
            }
        }
        if (total == 0) {
            return null;
        }
        long remaining = ThreadLocalRandom.current().nextLong(total);
        Backend picked = null;
        for (int i = 0; remaining >= 0; i++) { // the untried members' shares add up to total > remaining
            if (!tried.contains(members[i])) {
                picked = members[i];
                remaining -= byWeight ? picked.weight() : 1;
            }
        }
        return picked;
    }
}
