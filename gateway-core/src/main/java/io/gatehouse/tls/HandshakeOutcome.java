package io.gatehouse.tls;

import io.gatehouse.context.ClientTls;
import io.gatehouse.metrics.TlsHandshakeCounters;
import io.gatehouse.metrics.TlsHandshakeCounters.Result;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;

/**
 * Sits after the {@link SslHandler} until its handshake is done. A handshake that succeeds leaves the connection's
 * {@link ClientTls} on its channel (with the client certificate verified once, here) and this handler leaves the
 * pipeline. One that fails is counted by reason and logged at debug; the connection closes, and the client gets no
 * text about it (the TLS alert is all it is owed).
 */
final class HandshakeOutcome extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeOutcome.class);

    private final TlsHandshakeCounters counters;
    private final ClientCertificateTrust clientTrust;
    /** The failure was counted (the engine may report it twice: as an exception, then as the handshake's outcome). */
    private boolean failureCounted;

    HandshakeOutcome(TlsHandshakeCounters counters, ClientCertificateTrust clientTrust) {
        this.counters = counters;
        this.clientTrust = clientTrust;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SniCompletionEvent sni && !sni.isSuccess()) {
            failed(ctx, sni.cause()); // no ClientHello in time (the SNI handler's timeout), or none readable
            return;
        }
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                ctx.channel().attr(ClientTls.ATTRIBUTE).set(
                        new ClientTls(true, clientTrust.verified(peerCertificates(ssl))));
                counters.count(Result.SUCCESS);
                ctx.pipeline().remove(this);
            } else {
                failed(ctx, done.cause());
                return;
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Handshake errors: nothing of them goes on to the HTTP side. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(ctx, cause);
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        if (!failureCounted) {
            failureCounted = true;
            Result reason = HandshakeFailures.reason(cause);
            counters.count(reason);
            log.debug("TLS handshake with {} failed ({})", ctx.channel().remoteAddress(), reason, cause);
        }
        ctx.close();
    }

    private static Certificate[] peerCertificates(SslHandler ssl) {
        try {
            return ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null; // the client sent no certificate
        }
    }
}
