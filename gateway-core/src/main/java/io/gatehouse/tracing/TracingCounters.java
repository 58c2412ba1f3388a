package io.gatehouse.tracing;

import io.micrometer.core.instrument.Counter;

import static java.util.Objects.requireNonNull;

/**
 * What became of the sampled spans, registered once per gateway and shared by every tracing configuration it runs.
 *
 * @param exported spans the receiver accepted
 * @param failed   spans in batches the receiver refused or could not be reached for (after the exporter's retries)
 * @param dropped  spans not queued because {@code queue_size} spans were already waiting
 */
public record TracingCounters(Counter exported, Counter failed, Counter dropped) {
    public TracingCounters {
        requireNonNull(exported, "exported");
        requireNonNull(failed, "failed");
        requireNonNull(dropped, "dropped");
    }
}
