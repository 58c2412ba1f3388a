package io.gatehouse.pool;

/**
 * An HTTP/2 stream the backend never processed: it was above the last-stream-id of the backend's GOAWAY, refused
 * with REFUSED_STREAM, or never opened because its connection stopped taking streams. RFC 9113 §8.7 lets a client
 * send such a request again, whatever its method.
 */
public final class StreamNotProcessedException extends Exception {
    StreamNotProcessedException(String message) {
        super(message, null, false, false);
    }
}
