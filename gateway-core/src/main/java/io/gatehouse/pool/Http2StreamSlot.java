package io.gatehouse.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2NoMoreStreamIdsException;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;

/**
 * One stream of a {@link MultiplexedConnection}, lent to one attempt: the last handler of the stream's child channel
 * (after {@link Http2Channels#addStreamHandlers}). Every event goes to the attempt's listener until it releases the
 * slot. A stream the backend never processed (above the last-stream-id of its GOAWAY, refused with REFUSED_STREAM,
 * or never opened) ends with a {@link StreamNotProcessedException}; a reset by the backend ends with an error, so
 * that a response under way is cut, not ended cleanly.
 */
public final class Http2StreamSlot extends ListenedSlot {
    private final MultiplexedConnection connection;
    private final boolean reused;
    private Http2StreamChannel channel;
    /** Why the backend did not process the stream, or null. */
    private String notProcessed;

    Http2StreamSlot(MultiplexedConnection connection, boolean reused) {
        this.connection = connection;
        this.reused = reused;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean isReused() {
        return reused;
    }

    void attach(UpstreamListener listener) {
        this.listener = listener;
    }

    /** Closing a stream that has not ended both ways resets it (RST_STREAM CANCEL); its connection stays. */
    @Override
    public void release(boolean reusable) {
        listener = null;
        channel.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = (Http2StreamChannel) ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener != null && failure == null && notProcessed == null && msg instanceof HttpObject httpObject) {
            listener.onUpstreamMessage(httpObject);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The multiplexer tells a stream of a reset and of a GOAWAY that leaves it out as user events. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            if (reset.errorCode() == Http2Error.REFUSED_STREAM.code()) {
                notProcessed = "refused by the backend (REFUSED_STREAM)";
            } else if (failure == null) {
                Http2Error error = Http2Error.valueOf(reset.errorCode());
                failure = new IOException("stream reset by the backend ("
                        + (error == null ? "error " + reset.errorCode() : error.name()) + ")");
            }
        } else if (evt instanceof Http2GoAwayFrame goAway) {
            notProcessed = "above the last stream id " + goAway.lastStreamId() + " of the backend's GOAWAY";
            // Before this stream closes and its attempt is resent: not on this connection again.
            connection.goAwayReceived();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2NoMoreStreamIdsException || channel.stream().state() == Http2Stream.State.IDLE
                || cause instanceof Http2Exception e && e.error() == Http2Error.REFUSED_STREAM) {
            notProcessed = "not opened: " + cause.getMessage();
        } else if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener current = listener;
        listener = null;
        if (current == null) {
            return;
        }
        if (notProcessed == null) {
            notProcessed = connection.whyNotProcessed(channel.stream());
        }
        current.onUpstreamClosed(notProcessed != null ? new StreamNotProcessedException(
                "HTTP/2 stream " + notProcessed) : failure);
    }
}
