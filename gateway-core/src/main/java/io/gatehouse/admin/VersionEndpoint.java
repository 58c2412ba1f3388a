package io.gatehouse.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /admin/version}: which Gatehouse this is, on which Java (built once at start), and the
 * {@link ConfigVersion} of the configuration in force.
 */
final class VersionEndpoint implements AdminEndpoint {
    private final ObjectNode body;
    private final ConfigVersion configVersion;

    VersionEndpoint(ConfigVersion configVersion) {
        this.configVersion = configVersion;
        this.body = JsonNodeFactory.instance.objectNode()
                .put("name", "gatehouse")
                .put("version", buildVersion())
                .put("java", Runtime.version().toString());
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest request) {
        return CompletableFuture.completedFuture(AdminResponse.ok(body.deepCopy()
                .put("config_version", configVersion.current())));
    }

    /** The Maven project version, written into a resource at build time. */
    private static String buildVersion() {
        try (InputStream in = VersionEndpoint.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
