package io.gatehouse.discovery;

import io.gatehouse.config.DiscoveryConfig;

/**
 * Builds, without starting it, the {@link Discovery} of one pool's {@code discovery} settings. Called by the
 * installing thread, never on an event loop.
 */
@FunctionalInterface
public interface DiscoveryFactory {
    /**
     * @throws io.gatehouse.config.ConfigException (or another runtime exception, whose message names the problem)
     *                                             when this kind of discovery cannot be built; the install that asked
     *                                             is then refused and nothing changes
     */
    Discovery create(DiscoveryConfig config, DiscoveryContext context);
}
