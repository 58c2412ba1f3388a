package io.gatehouse.proxy.downstream;

import io.gatehouse.context.Rejection;
import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * What an exception on a client connection means for the client: the answer it is owed, if anyone is left to
 * answer, and the log line that keeps the detail (never sent to the client).
 */
final class ClientFailures {
    private static final Logger log = LoggerFactory.getLogger(ClientFailures.class);
    private static final Rejection INTERNAL_ERROR = Rejection.closing(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "internal_error", "the gateway failed to process the request");

    private ClientFailures() {}

    /**
     * @param requestId the request in progress, or {@code null} between requests
     * @return the refusal to answer with, or {@code null} when the connection itself failed and no one is listening
     */
    static Rejection answerFor(Throwable cause, String requestId, Channel channel) {
        if (cause instanceof IOException) {
            log.debug("client connection {} failed", channel, cause);
            return null;
        }
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            log.debug("client connection {}: TLS error", channel, cause); // an alert was sent; no HTTP answer
            return null;
        }
        if (cause instanceof DecoderException) {
            log.debug("request {} on {}: undecodable input", requestId, channel, cause);
            return RequestHeadValidator.MALFORMED;
        }
        log.warn("request {} on {} failed in the gateway", requestId, channel, cause);
        return INTERNAL_ERROR;
    }
}
