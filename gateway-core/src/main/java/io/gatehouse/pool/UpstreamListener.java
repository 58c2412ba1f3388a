package io.gatehouse.pool;

import io.netty.handler.codec.http.HttpObject;

/** The exchange currently using an {@link ExchangeSlot}; every call arrives on that slot's loop. */
public interface UpstreamListener {
    /** A decoded response part. The listener owns {@code msg} and must release or pass it on. */
    void onUpstreamMessage(HttpObject msg);

    /** The end of one socket read: a good moment to flush what was relayed and ask for more. */
    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged(boolean writable);

    /**
     * The connection closed or failed, or the stream ended before its response did; {@code cause} is {@code null}
     * for a plain close, a {@link StreamNotProcessedException} when the backend never processed the request.
     */
    void onUpstreamClosed(Throwable cause);
}
