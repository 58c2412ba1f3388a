package io.gatehouse.config;

import java.util.List;

/** Binds {@code server.http2}; every key has a default, so the section may be absent. */
final class Http2Section {
    private static final List<String> KEYS = List.of("enabled", "max_concurrent_streams", "max_header_list_size",
            "initial_stream_window", "initial_connection_window", "max_rst_frames_per_second",
            "max_small_continuation_frames");
    /** nginx's {@code http2_max_concurrent_streams} is 128, Envoy's 2^31-1; more than this is taken as a typo. */
    private static final int MAX_STREAMS = 10_000;
    /** RFC 9113 §6.9.1: a flow-control window is at most 2^31-1 bytes. */
    private static final int MAX_WINDOW = Integer.MAX_VALUE;
    /**
     * nginx's {@code http2_body_preread_size}: a stream's window is what the gateway may hold of its body while the
     * backend does not take it, so per-stream buffering stays small; 64 KiB per round trip is ample for API bodies.
     */
    private static final int DEFAULT_STREAM_WINDOW = 64 * 1024;
    /**
     * Netty's default is 200 per 30 s; a per-second cap lets bursts of real cancellations (a page navigated away from,
     * a gRPC client's deadlines) through while a flood of resets is cut within a second.
     */
    private static final int DEFAULT_RST_PER_SECOND = 100;
    /** Netty's default: real clients send a header block in one frame, or in few large ones. */
    private static final int DEFAULT_SMALL_CONTINUATIONS = 16;

    private Http2Section() {}

    /** @param limits {@code server.limits}, whose {@code max_header_bytes} is the default header list size */
    static Http2Config bind(Node http2, ServerConfig.Limits limits) {
        http2.expectMap(KEYS);
        int streams = http2.get("max_concurrent_streams").integer(100, 1, MAX_STREAMS);
        int streamWindow = (int) http2.get("initial_stream_window").size(DEFAULT_STREAM_WINDOW, 1024, MAX_WINDOW);
        // Every stream may fill its window while its backend is slow: a connection window that holds them all keeps
        // such streams from stalling their siblings (nginx, too, opens the connection window wide).
        long allStreams = Math.min((long) streams * streamWindow, MAX_WINDOW);
        long lowest = Math.max(Http2Config.PROTOCOL_CONNECTION_WINDOW, streamWindow);
        Node connectionNode = http2.get("initial_connection_window");
        long connectionWindow = connectionNode.size(Math.max(allStreams, lowest), 0, MAX_WINDOW);
        if (connectionWindow < lowest) {
            connectionNode.invalid("expected at least " + lowest + " bytes: at least 65535, the protocol's initial"
                    + " window, and at least server.http2.initial_stream_window");
            connectionWindow = lowest;
        }
        return new Http2Config(
                http2.get("enabled").bool(true),
                streams,
                (int) http2.get("max_header_list_size").size(limits.maxHeaderBytes(), 256, Integer.MAX_VALUE),
                streamWindow,
                (int) connectionWindow,
                http2.get("max_rst_frames_per_second").integer(DEFAULT_RST_PER_SECOND, 1, 1_000_000),
                http2.get("max_small_continuation_frames").integer(DEFAULT_SMALL_CONTINUATIONS, 1, 10_000));
    }
}
