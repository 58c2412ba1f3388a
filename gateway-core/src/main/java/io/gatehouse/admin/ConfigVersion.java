package io.gatehouse.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gatehouse.config.ConfigJson;
import io.gatehouse.config.GatewayConfig;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * The version of the configuration in force: the first 12 hex digits of the SHA-256 of its effective form (as
 * {@code GET /admin/config} shows it, secrets redacted, discovered members left out). Equal configs give equal
 * versions in every instance, so an operator can tell whether all run the same one. Computed once per config.
 */
final class ConfigVersion {
    private final Supplier<GatewayConfig> config;
    private GatewayConfig hashed;
    private String version;

    /** @param config the configuration in force, as written */
    ConfigVersion(Supplier<GatewayConfig> config) {
        this.config = config;
    }

    /** Called on the admin worker only. */
    String current() {
        GatewayConfig now = config.get();
        if (now != hashed) {
            version = hash(now);
            hashed = now;
        }
        return version;
    }

    private static String hash(GatewayConfig config) {
        try {
            byte[] json = AdminJson.MAPPER.writeValueAsBytes(ConfigJson.render(config));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 6);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
