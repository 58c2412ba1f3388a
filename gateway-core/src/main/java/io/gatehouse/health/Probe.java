package io.gatehouse.health;

import io.gatehouse.config.HealthCheckConfig;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.tls.TlsFailure;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One health probe: connect, {@code GET path} with {@code Connection: close}, judge the status line, close. Over TLS
 * the request written at connect waits in the {@code SslHandler} until the handshake is done. Over HTTP/2 this is
 * the handler of the probe's stream, which {@link Http2ProbeConnection} opens.
 * Reports exactly once: the status, a connect failure, an early close, or the timeout.
 */
final class Probe extends ChannelInboundHandlerAdapter {
    private final Backend backend;
    private final HealthCheckConfig check;
    private final Consumer<ProbeResult> onDone;
    private ScheduledFuture<?> timeout;
    private boolean reported;

    Probe(Backend backend, HealthCheckConfig check, Consumer<ProbeResult> onDone) {
        this.backend = backend;
        this.check = check;
        this.onDone = onDone;
    }

    void watch(ChannelFuture connect, EventLoop loop) {
        timeout = loop.schedule(() -> {
            report(false, "no response within " + check.timeout().toMillis() + " ms");
            connect.channel().close();
        }, check.timeout().toNanos(), TimeUnit.NANOSECONDS);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                report(false, "connect failed: " + f.cause().getMessage());
            }
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, check.path());
        request.headers()
                .set(HttpHeaderNames.HOST, backend.hostHeader())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "gatehouse-health-check")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(request);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response && !reported) {
                int status = response.status().code();
                report(response.decoderResult().isSuccess() && check.isExpected(status), "status " + status);
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        report(false, "connection closed before a response");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(cause);
        ctx.close();
    }

    /** The probe failed with {@code cause}, on its channel or (HTTP/2) on the connection under its stream. */
    void failed(Throwable cause) {
        // The TLS engines' own texts say little ("General OpenSslEngine problem"): name the check that failed.
        TlsFailure tls = TlsFailure.classify(cause);
        report(false, tls == null ? "probe failed: " + cause.getMessage()
                : "TLS handshake failed: " + tls.label() + ": " + tls.description());
    }

    /** The connection under the probe's HTTP/2 stream closed; nothing if the probe has reported already. */
    void connectionClosed() {
        report(false, "connection closed before a response");
    }

    private void report(boolean healthy, String detail) {
        if (reported) {
            return;
        }
        reported = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        onDone.accept(new ProbeResult(healthy, detail));
    }
}
