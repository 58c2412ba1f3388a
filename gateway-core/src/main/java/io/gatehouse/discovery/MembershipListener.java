package io.gatehouse.discovery;

import io.gatehouse.config.BackendConfig;

import java.util.List;

/** Told a pool's discovered members: always the whole current list, never a delta. */
@FunctionalInterface
public interface MembershipListener {
    /** Runs on the discovery's own thread; {@code members} is immutable and may be empty. */
    void membersChanged(List<BackendConfig> members);
}
