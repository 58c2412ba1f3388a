package io.gatehouse.security;

import io.github.bucket4j.TimeMeter;

import java.util.function.LongSupplier;

/** The gateway's monotonic nano clock as Bucket4j reads time, so tests drive refills instead of sleeping. */
record NanoTimeMeter(LongSupplier nanoClock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
        return nanoClock.getAsLong();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
