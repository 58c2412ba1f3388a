package io.gatehouse.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * One stream of an {@link H2Backend}. Reads the request (counting and checksumming its body, never holding it), then
 * answers by path:
 * <ul>
 * <li>{@code /hold...}: 200 once the test calls {@link H2Backend#releaseHeld()};
 * <li>{@code /upload}: {@code "<bytes> <crc32>"} of the request body;
 * <li>{@code /download?bytes=N}: N {@link PatternStream} bytes with a content-length, written while the stream is
 *     writable (so HTTP/2 flow control holds it back);
 * <li>{@code /trailers}: a body, then trailers ({@code x-checksum}, {@code grpc-status});
 * <li>{@code /trailers-only}: one HEADERS frame with END_STREAM;
 * <li>{@code /nolength}: two DATA frames and no content-length;
 * <li>{@code /reset}: a head promising 100000 bytes, 1000 of them, then RST_STREAM;
 * <li>{@code /refuse-once}: the first such request is reset with REFUSED_STREAM (not processed), later ones answered;
 * <li>anything else: {@code "h2 METHOD path authority=..."}.
 * </ul>
 */
final class H2BackendStream extends ChannelInboundHandlerAdapter {
    private static final int CHUNK = 16 * 1024;
    private final H2Backend backend;
    private final AtomicInteger onThisConnection;
    private Http2Headers request;
    private final CRC32 crc = new CRC32();
    private long bodyBytes;
    private final StringBuilder smallBody = new StringBuilder();
    private long downloadLeft;
    private long downloadPosition;
    private Http2StreamChannel stream;

    H2BackendStream(H2Backend backend, AtomicInteger onThisConnection) {
        this.backend = backend;
        this.onThisConnection = onThisConnection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        backend.openStreams.incrementAndGet();
        int now = onThisConnection.incrementAndGet();
        backend.maxStreamsOnOneConnection.accumulateAndGet(now, Math::max);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        backend.held.remove(this);
        backend.openStreams.decrementAndGet();
        onThisConnection.decrementAndGet();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2HeadersFrame headers && request == null) {
                request = headers.headers();
                backend.streamArrived((Http2StreamChannel) ctx.channel());
                if (headers.isEndStream()) {
                    answer(ctx);
                }
            } else if (msg instanceof Http2DataFrame data) {
                ByteBuf content = data.content();
                bodyBytes += content.readableBytes();
                if (smallBody.length() < 256) {
                    smallBody.append(content.toString(StandardCharsets.UTF_8));
                }
                byte[] bytes = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), bytes);
                crc.update(bytes);
                if (data.isEndStream()) {
                    answer(ctx);
                }
            } else if (msg instanceof Http2HeadersFrame trailers && trailers.isEndStream()) {
                answer(ctx);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void answer(ChannelHandlerContext ctx) {
        String path = request.path().toString();
        stream = (Http2StreamChannel) ctx.channel();
        if (isDropped()) {
            return;
        }
        if (path.startsWith("/refuse-once") && backend.refused.compareAndSet(false, true)) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
            return;
        }
        if (path.startsWith("/hold")) {
            backend.held.add(this);
            backend.release.thenRun(() -> ctx.executor().execute(() -> {
                if (backend.held.remove(this)) {
                    text(ctx, describe());
                }
            }));
        } else if (path.startsWith("/upload")) {
            text(ctx, bodyBytes + " " + crc.getValue());
        } else if (path.startsWith("/download")) {
            downloadLeft = Long.parseLong(path.substring(path.indexOf('=') + 1));
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .setLong("content-length", downloadLeft)));
            writeDownload(ctx);
        } else if (path.startsWith("/trailers-only")) {
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .set("x-only", "yes").set("grpc-status", "5"), true));
        } else if (path.startsWith("/trailers")) {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
            ctx.write(new DefaultHttp2DataFrame(ascii("body before trailers")));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
                    .set("x-checksum", "42").set("grpc-status", "0"), true));
        } else if (path.startsWith("/nolength")) {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
            ctx.write(new DefaultHttp2DataFrame(ascii("abc")));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(ascii("def"), true));
        } else if (path.startsWith("/reset")) {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .setInt("content-length", 100_000)));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[1000])));
            ctx.executor().schedule(() -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR)),
                    100, TimeUnit.MILLISECONDS);
        } else {
            text(ctx, describe());
        }
    }

    private String describe() {
        return "h2 " + request.method() + " " + request.path() + " authority=" + request.authority()
                + (bodyBytes > 0 ? " body=" + smallBody : "");
    }

    /** Above the last-stream-id of a GOAWAY its connection sent (maybe after it arrived): never answered. */
    boolean isDropped() {
        return stream != null && backend.isDropped(stream);
    }

    private void text(ChannelHandlerContext ctx, String body) {
        if (!ctx.channel().isActive() || isDropped()) {
            return; // dropped by a GOAWAY meanwhile: not processed
        }
        backend.processed.add(describe());
        ByteBuf bytes = ascii(body);
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                .set("content-type", "text/plain").setInt("content-length", bytes.readableBytes())));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(bytes, true));
    }

    private void writeDownload(ChannelHandlerContext ctx) {
        while (downloadLeft > 0 && ctx.channel().isWritable()) {
            int n = (int) Math.min(CHUNK, downloadLeft);
            byte[] chunk = new byte[n];
            for (int i = 0; i < n; i++) {
                chunk[i] = PatternStream.byteAt(downloadPosition++);
            }
            downloadLeft -= n;
            backend.bytesWritten.addAndGet(n);
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(chunk), downloadLeft == 0));
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (downloadLeft > 0) {
            writeDownload(ctx);
        }
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
