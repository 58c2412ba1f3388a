package io.gatehouse.config;

/** A way a client proves who it is; a route lists the ones that must all pass. */
public enum AuthMethod {
    API_KEY("api_key"),
    JWT("jwt");

    private final String configName;

    AuthMethod(String configName) {
        this.configName = configName;
    }

    /** The name used in YAML ({@code api_key}, {@code jwt}). */
    public String configName() {
        return configName;
    }
}
