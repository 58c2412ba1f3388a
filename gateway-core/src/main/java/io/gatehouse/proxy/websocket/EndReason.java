package io.gatehouse.proxy.websocket;

/** How a tunnel ended: the {@code reason} label of {@code gatehouse_websocket_closed_total}. */
public enum EndReason {
    /** The client sent the first close frame. */
    CLIENT_CLOSE("client_close", ""),
    /** The backend sent the first close frame. */
    BACKEND_CLOSE("backend_close", ""),
    /** The client's connection closed without a close frame either way. */
    CLIENT_GONE("client_gone", ""),
    /** The backend's connection closed without a close frame either way. */
    BACKEND_GONE("backend_gone", ""),
    IDLE_TIMEOUT("idle_timeout", "idle timeout"),
    MAX_LIFETIME("max_lifetime", "maximum lifetime reached"),
    SHUTDOWN("shutdown", "gateway shutting down"),
    /** A frame header no WebSocket sends (a 64-bit length with its top bit set): cut at once. */
    PROTOCOL_ERROR("protocol_error", "");

    private final String label;
    private final String closeText;

    EndReason(String label, String closeText) {
        this.label = label;
        this.closeText = closeText;
    }

    public String label() {
        return label;
    }

    /** The reason text of the gateway's own close frame, for the reasons that send one. */
    String closeText() {
        return closeText;
    }
}
