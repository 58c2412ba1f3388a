package io.gatehouse.pool;

import io.netty.handler.codec.http.HttpObject;

/** The exchange currently using an {@link UpstreamConnection}; every call arrives on that connection's loop. */
public interface UpstreamListener {
    /** A decoded response part. The listener owns {@code msg} and must release or pass it on. */
    void onUpstreamMessage(HttpObject msg);

    /** The end of one socket read: a good moment to flush what was relayed and ask for more. */
    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged(boolean writable);

    /** The connection closed or failed; {@code cause} is {@code null} for a plain close. */
    void onUpstreamClosed(Throwable cause);
}
