package io.gatehouse.proxy.exchange;

import io.gatehouse.pool.AcquireListener;
import io.gatehouse.pool.ExchangeSlot;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * One attempt's listener on the connection pool and its slot. An attempt can end (a response timeout, say)
 * while its connection is still being opened; that connection's news must not reach the attempt that replaced it,
 * so each attempt has its own listener and only the exchange's current one is heard.
 */
final class AttemptListener implements AcquireListener {
    private final ProxyExchange exchange;
    private final int connectTimeoutMillis;

    AttemptListener(ProxyExchange exchange, int connectTimeoutMillis) {
        this.exchange = exchange;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    private boolean current() {
        return exchange.isCurrent(this);
    }

    @Override
    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    @Override
    public void onAcquired(ExchangeSlot slot) {
        if (current()) {
            exchange.onAcquired(slot);
        } else {
            slot.release(true); // nothing was sent on it: still clean
        }
    }

    @Override
    public void onAcquireFailed(Throwable cause, boolean exhausted) {
        if (current()) {
            exchange.onAcquireFailed(cause, exhausted);
        }
    }

    @Override
    public void onUpstreamMessage(HttpObject msg) {
        if (current()) {
            exchange.onUpstreamMessage(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (current()) {
            exchange.onUpstreamReadComplete();
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (writable && current()) {
            exchange.onUpstreamWritable();
        }
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (current()) {
            exchange.onUpstreamClosed(cause);
        }
    }
}
