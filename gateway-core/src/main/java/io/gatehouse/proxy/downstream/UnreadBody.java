package io.gatehouse.proxy.downstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * What is known of the part of a request body the gateway will not forward, when it answers a request itself:
 * how much may still come and how much was read and dropped, with the bounds past which closing the connection
 * is cheaper than reading on; and whether the connection is in its {@link LingeringClose}.
 */
final class UnreadBody {
    /** What follows a dropped message. */
    enum Next {
        READ_ON,
        /** The body ended cleanly: the connection may serve the next request. */
        BODY_READ,
        /** Too much to drop, or a part the codec could not frame (it drops all input after one): close. */
        CLOSE_AFTER_RESPONSE,
        /** The lingering close is over. */
        CLOSE_NOW
    }

    /** Body bytes of a locally answered request the gateway reads and drops before it prefers to close. */
    private static final long MAX_DISCARD_BYTES = 64 * 1024;
    /** What a lingering close still reads and drops before it closes anyway. */
    private static final long MAX_LINGER_BYTES = 1024 * 1024;

    private long declaredLength;
    private long discarded;
    private boolean expectsContinue;
    private boolean follows;
    private boolean lingering;

    /** A new request; {@code head} is null for one refused before its head arrived, which declared nothing. */
    void reset(HttpRequest head) {
        // Not HttpUtil.getContentLength: it throws on the invalid values the validator is about to refuse.
        declaredLength = head == null ? -1
                : RequestHeadValidator.parseContentLength(head.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        expectsContinue = head != null && HttpUtil.is100ContinueExpected(head);
        follows = declaredLength > 0 || head != null && HttpUtil.isTransferEncodingChunked(head);
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

    /** Whether the head announced a body. */
    boolean follows() {
        return follows;
    }

    /** Whether the client waits for a {@code 100 Continue} before it sends the body. */
    boolean awaitsContinue() {
        return expectsContinue;
    }

    /** Counts and releases one message of the body that is not forwarded. */
    Next drop(Object msg) {
        boolean malformed = RequestHeadValidator.isMalformed(msg);
        boolean last = msg instanceof LastHttpContent && !malformed;
        if (msg instanceof HttpContent content) {
            discarded += content.content().readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (lingering) {
            return last || discarded > MAX_LINGER_BYTES ? Next.CLOSE_NOW : Next.READ_ON;
        }
        if (last) {
            return Next.BODY_READ;
        }
        return malformed || discarded > MAX_DISCARD_BYTES ? Next.CLOSE_AFTER_RESPONSE : Next.READ_ON;
    }

    /** Begins the lingering close: from now on the caller reads and drops; false if the channel cannot linger. */
    boolean linger(ChannelHandlerContext ctx) {
        lingering = LingeringClose.begin(ctx);
        return lingering;
    }
}
