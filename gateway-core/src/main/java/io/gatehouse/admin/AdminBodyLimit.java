package io.gatehouse.admin;

import io.gatehouse.proxy.ErrorResponses;
import io.gatehouse.proxy.RequestIds;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads each admin request whole, up to {@link #MAX_BODY_BYTES}. A larger one gets a JSON 413 and a closed
 * connection (the rest of its body is never read), also when it announced itself with {@code Expect: 100-continue}.
 */
final class AdminBodyLimit extends HttpObjectAggregator {
    /** As large as a config document may be ({@code YamlReader.MAX_DOCUMENT_SIZE}). */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    AdminBodyLimit() {
        super(MAX_BODY_BYTES, true); // close after refusing an Expect: 100-continue
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        ctx.writeAndFlush(tooLarge(ctx.alloc(), oversized)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse refusal
                && refusal.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            ReferenceCountUtil.release(refusal);
            return tooLarge(pipeline.channel().alloc(), start);
        }
        return response;
    }

    private static FullHttpResponse tooLarge(ByteBufAllocator alloc, HttpMessage request) {
        FullHttpResponse response = ErrorResponses.error(alloc, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "payload_too_large", "the request body is over the admin API's limit of " + MAX_BODY_BYTES
                        + " bytes", RequestIds.of(request.headers()));
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
