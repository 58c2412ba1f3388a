package io.gatehouse.server;

import java.nio.channels.UnresolvedAddressException;

/**
 * The gateway could not bind its listener. The message is meant for an operator and names the address, the
 * port and the operating system's reason: {@code cannot listen on 0.0.0.0:8081: address already in use}.
 */
public final class CannotListenException extends RuntimeException {
    CannotListenException(String host, int port, Throwable cause) {
        super("cannot listen on " + address(host, port) + ": " + reason(cause), cause);
    }

    private static String address(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The OS's words in lower case ("Address already in use" from NIO; the native transport's
     * "bind(..) failed: Address already in use" loses its prefix), or a description when there are none.
     */
    private static String reason(Throwable cause) {
        if (cause instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        String message = cause == null ? null : cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause == null ? "unknown error" : cause.getClass().getSimpleName();
        }
        int colon = message.lastIndexOf(": ");
        String reason = colon >= 0 && colon + 2 < message.length() ? message.substring(colon + 2) : message;
        return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
}
