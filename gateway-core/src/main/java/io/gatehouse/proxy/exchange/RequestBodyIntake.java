package io.gatehouse.proxy.exchange;

import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.proxy.downstream.RequestHeadValidator;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request body of one proxied request on its way in from the client: each part checked for framing errors and
 * counted against {@code server.limits.max_body_bytes}, then either held or sent on.
 *
 * <p>A body within the route's {@code request_buffering} bound (by its {@code Content-Length}, or a chunked one so
 * far) is read whole into the {@link BodyReplay} before the first attempt asks for a backend connection, as nginx
 * does by default: a client that uploads slowly holds its own connection only, never a pooled one, and the body
 * gap timeout ({@code server.timeouts.request_body}) bounds it meanwhile. A larger body streams: its first attempt
 * starts at once, or when a chunked body outgrows the bound (what was read is sent first), and the
 * {@link UpstreamRequestWriter} sends each further part as the connection takes it.
 */
final class RequestBodyIntake {
    /** {@code request_timeout} ran out while the gateway was still waiting for the client's body. */
    static final Rejection REQUEST_NOT_RECEIVED = Rejection.closing(HttpResponseStatus.REQUEST_TIMEOUT,
            "request_timeout", "request not received in time");
    private static final Logger log = LoggerFactory.getLogger(RequestBodyIntake.class);
    private static final Rejection MALFORMED = Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
            "malformed request body");

    /** What the exchange does after a body part. */
    enum Next {
        READ_ON,
        /** The buffered body is whole, or outgrew the bound: the first attempt may start. */
        START_ATTEMPT,
        /** Answer {@link #refusal()} (or cut a response under way); the connection closes after it. */
        REFUSE
    }

    private final UpstreamRequestWriter writer;
    private final BodyReplay replay;
    private final RequestContext request;
    private final long maxBodyBytes;
    private long bodyBytes;
    private Rejection refusal;

    RequestBodyIntake(UpstreamRequestWriter writer, BodyReplay replay, RequestContext request, long maxBodyBytes) {
        this.writer = writer;
        this.replay = replay;
        this.request = request;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Asked once, before the first attempt: whether it waits for the body to be read. If so, a client that sent
     * {@code Expect: 100-continue} is told to send it now, since no backend is asked until it has.
     */
    boolean buffersFirst() {
        if (replay.buffers()) {
            writer.sendContinue();
            return true;
        }
        return false;
    }

    /** Whether the client's next body part is wanted now: while buffering, or while the connection takes it. */
    boolean wantsBody() {
        return replay.buffers() || writer.wantsBody();
    }

    /** Takes one part from the client, which this intake then owns. */
    Next take(HttpContent part) {
        if (RequestHeadValidator.isMalformed(part)) {
            log.debug("request {}: malformed body", request.requestId(), part.decoderResult().cause());
            part.release();
            refusal = MALFORMED;
            return Next.REFUSE;
        }
        int bytes = part.content().readableBytes();
        bodyBytes += bytes;
        request.addBytesIn(bytes);
        if (bodyBytes > maxBodyBytes) {
            part.release();
            refusal = Rejection.closing(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                    "request body exceeds the limit of " + maxBodyBytes + " bytes");
            return Next.REFUSE;
        }
        if (!replay.buffers()) {
            writer.send(part);
            return Next.READ_ON;
        }
        replay.keep(part);
        return replay.buffers() ? Next.READ_ON : Next.START_ATTEMPT;
    }

    /** Why the body was refused, after {@link Next#REFUSE}. */
    Rejection refusal() {
        return refusal;
    }
}
