package io.gatehouse.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * What is known of the part of a request body the gateway will not forward, when it answers a request itself:
 * how much may still come and how much was read and dropped, with the bounds past which closing the connection
 * is cheaper than reading on.
 */
final class UnreadBody {
    /** Body bytes of a locally answered request the gateway reads and drops before it prefers to close. */
    private static final long MAX_DISCARD_BYTES = 64 * 1024;
    /** What a lingering close still reads and drops before it closes anyway. */
    private static final long MAX_LINGER_BYTES = 1024 * 1024;

    private long declaredLength;
    private long discarded;
    private boolean expectsContinue;

    /** A new request. */
    void reset(HttpRequest head) {
        declaredLength = HttpUtil.getContentLength(head, -1L);
        expectsContinue = HttpUtil.is100ContinueExpected(head);
        discarded = 0;
    }

    /**
     * Whether the connection must close after a local answer to a request whose body has not fully arrived: too
     * much is still to come, or the client was told nothing after {@code Expect: 100-continue} and may or may not
     * send its body now, so only closing keeps its next bytes from being misread.
     */
    boolean closeInsteadOfReading() {
        return expectsContinue || declaredLength - discarded > MAX_DISCARD_BYTES;
    }

    void dropped(int bytes) {
        discarded += bytes;
    }

    boolean overDiscardBound() {
        return discarded > MAX_DISCARD_BYTES;
    }

    boolean overLingerBound() {
        return discarded > MAX_LINGER_BYTES;
    }
}
