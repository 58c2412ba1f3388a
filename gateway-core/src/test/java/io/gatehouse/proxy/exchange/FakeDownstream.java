package io.gatehouse.proxy.exchange;

import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.pool.UpstreamConnection;
import io.gatehouse.route.Route;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Downstream} that records what an exchange sends its client, for {@link ProxyExchangeTest}: the response
 * head, the body bytes (parts are released as they arrive), trailers, the end, a refusal or an abort. Every call
 * comes on {@link #eventLoop()}; {@link #outcome} completes once the exchange has ended one way or another.
 */
final class FakeDownstream implements Downstream {
    private final EventLoop loop;
    private final Deadline deadline;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<Integer> interims = new ArrayList<>();
    final CompletableFuture<String> outcome = new CompletableFuture<>();
    volatile HttpResponse head;
    volatile HttpHeaders trailers;
    volatile Rejection refusal;
    volatile int resumes;
    volatile boolean writable = true;

    FakeDownstream(EventLoop loop) {
        this.loop = loop;
        this.deadline = new Deadline(loop);
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    @Override
    public Deadline responseDeadline() {
        return deadline;
    }

    @Override
    public boolean inReadBatch() {
        return false;
    }

    @Override
    public void resumeReading() {
        resumes++;
    }

    @Override
    public boolean takesInterimResponses() {
        return true;
    }

    @Override
    public void sendInterim(FullHttpResponse interim) {
        interims.add(interim.status().code());
        interim.release();
    }

    @Override
    public void sendResponseHead(HttpResponse head, boolean headRequest, boolean requestComplete) {
        this.head = head;
    }

    @Override
    public void sendResponsePart(HttpContent part) {
        take(part);
    }

    @Override
    public void flushResponse() {
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void sendResponseEnd(LastHttpContent last) {
        trailers = last.trailingHeaders().copy();
        take(last);
        outcome.complete("end");
    }

    @Override
    public void refuse(Rejection rejection) {
        refusal = rejection;
        outcome.complete("refused");
    }

    @Override
    public void abort() {
        outcome.complete("aborted");
    }

    @Override
    public void awaitUpgradeAnswer() {
        throw new AssertionError("no upgrade in these tests");
    }

    @Override
    public void openTunnel(HttpResponse switched, UpstreamConnection upstream, Route route, RouteMeters meters,
                           RequestContext request) {
        throw new AssertionError("no upgrade in these tests");
    }

    private void take(HttpContent part) {
        try {
            part.content().getBytes(part.content().readerIndex(), body, part.content().readableBytes());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            part.release();
        }
    }
}
