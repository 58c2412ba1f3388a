package io.gatehouse.config;

/** A way a client proves who it is; a route lists the ones that must all pass. */
public enum AuthMethod {
    API_KEY("api_key"),
    JWT("jwt"),
    /** A verified client certificate from {@code server.tls.client_auth}, named by {@code auth.mtls}. */
    MTLS("mtls");

    private final String configName;

    AuthMethod(String configName) {
        this.configName = configName;
    }

    /** The name used in YAML ({@code api_key}, {@code jwt}, {@code mtls}). */
    public String configName() {
        return configName;
    }
}
