package io.gatehouse.route;

/** A request path that {@link PathNormalizer} refuses; the message says why, for a 400 response or a log line. */
public final class InvalidPathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidPathException(String message) {
        super(message);
    }
}
