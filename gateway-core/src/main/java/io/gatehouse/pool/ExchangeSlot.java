package io.gatehouse.pool;

import io.netty.channel.Channel;

/**
 * What a pool lends one attempt to send its request on: an HTTP/1.1 connection ({@link UpstreamConnection}) or one
 * stream of a multiplexed HTTP/2 connection ({@link Http2StreamSlot}). Either way the attempt writes
 * {@code HttpRequest}, {@code HttpContent} and {@code LastHttpContent} to {@link #channel()} and its
 * {@link UpstreamListener} reads {@code HttpResponse}, {@code HttpContent} and {@code LastHttpContent} (with
 * trailers), never a full message. Used on its pool's event loop only.
 */
public sealed interface ExchangeSlot permits ListenedSlot {
    /** Where the request goes, and whose writability and auto-read govern the flow of this exchange. */
    Channel channel();

    /** True when the connection under it already carried an earlier request (so it may have gone stale meanwhile). */
    boolean isReused();

    /**
     * Hands the slot back. Pass {@code reusable} only when the exchange ended cleanly: the whole request was
     * written, the whole response read, and neither side asked to close. A stream that did not end cleanly is reset;
     * its connection serves other streams on.
     */
    void release(boolean reusable);
}
