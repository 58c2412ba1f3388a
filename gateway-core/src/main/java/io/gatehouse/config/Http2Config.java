package io.gatehouse.config;

/**
 * {@code server.http2}: HTTP/2 from clients (h2 by ALPN on the TLS listener, h2c with prior knowledge on the plain
 * port) and the limits each HTTP/2 connection is held to. A connection keeps the limits in force when it opened.
 *
 * @param enabled                   whether the listeners speak HTTP/2 at all; fixed while running
 * @param maxConcurrentStreams      SETTINGS_MAX_CONCURRENT_STREAMS: a stream above it is refused (REFUSED_STREAM)
 * @param maxHeaderListSize         SETTINGS_MAX_HEADER_LIST_SIZE in bytes (RFC 9113's size: name, value and 32 per
 *                                  field); a larger request head is answered 431, a far larger one ends the connection
 * @param initialStreamWindow       SETTINGS_INITIAL_WINDOW_SIZE: request body bytes a client may send on a stream
 *                                  before the gateway takes them, so at most this is buffered per stream
 * @param initialConnectionWindow   the same for the connection as a whole, raised from the protocol's 65,535 with a
 *                                  WINDOW_UPDATE on stream 0 right after the gateway's SETTINGS
 * @param maxRstFramesPerSecond     RST_STREAM frames per second, received or sent, before the connection is ended
 *                                  with GOAWAY ENHANCE_YOUR_CALM (Rapid Reset, CVE-2023-44487)
 * @param maxSmallContinuationFrames CONTINUATION frames under 8 KiB one header block may have before the connection
 *                                  is ended (CONTINUATION floods)
 */
public record Http2Config(boolean enabled, int maxConcurrentStreams, int maxHeaderListSize, int initialStreamWindow,
                          int initialConnectionWindow, int maxRstFramesPerSecond, int maxSmallContinuationFrames) {
    /** The connection window every HTTP/2 connection starts with (RFC 9113 §6.9.2); only a WINDOW_UPDATE raises it. */
    public static final int PROTOCOL_CONNECTION_WINDOW = 65_535;

    /** How much the gateway raises the connection window by, right after its SETTINGS; 0 for none. */
    public int connectionWindowIncrement() {
        return initialConnectionWindow - PROTOCOL_CONNECTION_WINDOW;
    }
}
