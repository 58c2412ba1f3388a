package io.gatehouse.proxy.exchange;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Sends one request to the current attempt's connection: its head, then the body held in the {@link BodyReplay}
 * (all of a buffered body, or the start of one that streams), then the client's further parts as they arrive.
 * Writes inside a client read batch are flushed once at the batch's end. Has the client's
 * {@code Expect: 100-continue} answered when the body is to be buffered or else when the first attempt is connected
 * ({@link InterimResponses#sendContinue}: never twice). Tells the exchange's timers who the request waits on: the backend once it is sent in full or while the
 * connection takes no more, else the client.
 */
final class UpstreamRequestWriter {
    private final Downstream client;
    private final InterimResponses interim;
    private final HttpRequest head;
    private final BodyReplay replay;
    private final boolean expectContinue;
    private final ExchangeTimers timers;
    private Channel channel;
    private boolean lastContentSent;
    private boolean flushPending;

    UpstreamRequestWriter(Downstream client, InterimResponses interim, HttpRequest head,
                          BodyReplay replay, ExchangeTimers timers) {
        this.client = client;
        this.interim = interim;
        this.head = head;
        this.replay = replay;
        this.expectContinue = HttpUtil.is100ContinueExpected(head);
        this.timers = timers;
    }

    /** Starts the request on a new connection, sending the body held so far. */
    void begin(Channel upstream) {
        channel = upstream;
        write(head);
        lastContentSent = replay.replay(this::write);
        sendContinue();
        upstreamWritabilityChanged();
    }

    /** Tells a client that sent {@code Expect: 100-continue} to send its body, once. */
    void sendContinue() {
        if (expectContinue) {
            interim.sendContinue();
        }
    }

    /** Sends a client body part that streams (the request is not buffered, or no more), which this writer owns. */
    void send(HttpContent part) {
        if (part instanceof LastHttpContent) {
            lastContentSent = true;
        }
        replay.sent(part);
        write(part);
        upstreamWritabilityChanged();
    }

    /** After a write, or when the connection drained: the request now waits on the backend or on the client. */
    void upstreamWritabilityChanged() {
        if (channel != null) {
            timers.awaitBackend(lastContentSent || !channel.isWritable());
        }
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
