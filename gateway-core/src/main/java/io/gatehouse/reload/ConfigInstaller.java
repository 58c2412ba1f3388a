package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatewayConfig;

/**
 * Applies a validated configuration to a running gateway as one transaction: compiles everything first, then
 * publishes it with one volatile write. Implemented by the server; called by one reload thread at a time.
 */
public interface ConfigInstaller {
    /** The configuration in force. */
    GatewayConfig current();

    /**
     * Compiles {@code next} and swaps it in, carrying over live state (backends, buckets, caches) by identity.
     *
     * @throws ConfigException when it cannot be compiled; then nothing changed
     */
    void install(GatewayConfig next);
}
