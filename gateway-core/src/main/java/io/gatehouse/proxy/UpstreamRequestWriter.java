package io.gatehouse.proxy;

import io.gatehouse.context.RequestContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Sends one request to the current attempt's connection: its head, then the body parts kept for a replay, then
 * the client's further parts as they arrive, each kept for a replay in turn ({@link BodyReplay}). Writes inside a
 * client read batch are flushed once at the batch's end. Answers the client's {@code Expect: 100-continue} when
 * the first attempt is connected, never twice. Tells the exchange's timers who the request waits on: the backend
 * once it is sent in full or while the connection takes no more, else the client.
 */
final class UpstreamRequestWriter {
    private final ClientConnectionHandler client;
    private final ChannelHandlerContext clientCtx;
    private final HttpRequest head;
    private final BodyReplay replay;
    private final boolean expectContinue;
    private final RequestContext request;
    private final ExchangeTimers timers;
    private final long maxBodyBytes;
    private long bodyBytes;
    private Channel channel;
    private boolean lastContentSent;
    private boolean continueSent;
    private boolean flushPending;

    UpstreamRequestWriter(ClientConnectionHandler client, ChannelHandlerContext clientCtx, HttpRequest head,
                          BodyReplay replay, RequestContext request, ExchangeTimers timers, long maxBodyBytes) {
        this.client = client;
        this.clientCtx = clientCtx;
        this.head = head;
        this.replay = replay;
        this.expectContinue = HttpUtil.is100ContinueExpected(head);
        this.request = request;
        this.timers = timers;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Starts the request on a new connection, replaying what earlier attempts sent. */
    void begin(Channel upstream) {
        channel = upstream;
        lastContentSent = false;
        write(head);
        replay.replay(this::write);
        lastContentSent = replay.isComplete();
        if (client.isRequestComplete() && !lastContentSent) {
            // The client's (empty) end went to an earlier attempt before anything was kept.
            lastContentSent = true;
            write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (expectContinue && !continueSent) {
            continueSent = true;
            clientCtx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            client.timeouts().continueSent();
        }
        upstreamWritabilityChanged();
    }

    /**
     * Sends a client body part, which this writer then owns.
     *
     * @return false, with the part released, when it takes the body over the server's max_body_bytes
     */
    boolean send(HttpContent part) {
        int bytes = part.content().readableBytes();
        bodyBytes += bytes;
        request.addBytesIn(bytes);
        if (bodyBytes > maxBodyBytes) {
            part.release();
            return false;
        }
        if (part instanceof LastHttpContent) {
            lastContentSent = true;
        }
        replay.sent(part);
        write(part);
        upstreamWritabilityChanged();
        return true;
    }

    /** After a write, or when the connection drained: the request now waits on the backend or on the client. */
    void upstreamWritabilityChanged() {
        if (channel != null) {
            timers.awaitBackend(lastContentSent || !channel.isWritable());
        }
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Whether the client's next body part can go upstream now. */
    boolean wantsBody() {
        return channel != null && !lastContentSent && channel.isWritable();
    }

    /** Whether the whole request reached the current connection. */
    boolean isComplete() {
        return lastContentSent;
    }

    void flush() {
        if (flushPending && channel != null) {
            flushPending = false;
            channel.flush();
        }
    }

    /** The attempt's connection is going away: flush what is pending to it and forget it. */
    void detach() {
        flush();
        channel = null;
    }

    private void write(Object msg) {
        channel.write(msg, channel.voidPromise());
        if (client.inReadBatch() && channel.isWritable()) {
            flushPending = true;
        } else {
            channel.flush();
        }
    }
}
