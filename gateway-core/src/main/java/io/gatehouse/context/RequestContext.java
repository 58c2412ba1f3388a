package io.gatehouse.context;

import java.net.InetAddress;

/**
 * Everything the gateway learns about one request, from its head to the end of its response. One instance per
 * request, touched only from the client channel's event loop, so plain fields suffice.
 */
public final class RequestContext {
    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private final ClientPeer client;
    private final String method;
    private final String path;
    private final String requestId;
    private Protocol protocol = Protocol.HTTP_1_1;
    private InetAddress clientAddress;
    private String clientIp;
    private String consumer;
    private boolean rateLimited;
    private Runnable release;
    private String routeId;
    private String poolName;
    private String backend;
    private int status;
    private boolean aborted;
    private int grpcStatus = -1;
    private long bytesIn;
    private long bytesOut;
    private long upstreamStartNanos;
    private long upstreamHeadersNanos;
    private int attempts;
    private String breaker;
    private long endNanos;
    private String traceId;
    private String spanId;
    private boolean traceSampled;

    public RequestContext(ClientPeer client, String method, String path, String requestId) {
        this.client = client;
        this.method = method;
        this.path = path;
        this.requestId = requestId;
        this.clientAddress = client.address();
        this.clientIp = client.text();
    }

    public long startNanos() { return startNanos; }
    public long startEpochMillis() { return startEpochMillis; }
    public ClientPeer client() { return client; }
    public String method() { return method; }
    /** The path as received (before normalisation) for logs; routing uses the normalised one. */
    public String path() { return path; }
    /** The client's valid {@code X-Request-ID}, or one the gateway made. */
    public String requestId() { return requestId; }
    /** The HTTP version the request came in; HTTP/1.1 unless set. */
    public Protocol protocol() { return protocol; }
    public void protocol(Protocol protocol) { this.protocol = protocol; }

    /** The real client: the socket peer, or the address a trusted proxy forwarded for. */
    public InetAddress clientAddress() { return clientAddress; }
    public String clientIp() { return clientIp; }

    public void clientAddress(InetAddress address) {
        if (!address.equals(clientAddress)) {
            clientAddress = address;
            clientIp = address.getHostAddress();
        }
    }

    /** Who the request was admitted as (API key consumer or token subject), or null. */
    public String consumer() { return consumer; }
    public void consumer(String consumer) { this.consumer = consumer; }

    /** The gateway refused the request with 429 for a rate-limit policy. */
    public boolean rateLimited() { return rateLimited; }
    public void rateLimited(boolean rateLimited) { this.rateLimited = rateLimited; }

    public String routeId() { return routeId; }
    public void routeId(String routeId) { this.routeId = routeId; }
    public String poolName() { return poolName; }
    public void poolName(String poolName) { this.poolName = poolName; }
    public String backend() { return backend; }
    public void backend(String backend) { this.backend = backend; }

    /** The status of the response head that went to the client; 0 while none has. */
    public int status() { return status; }
    public void status(int status) { this.status = status; }

    /** The response was cut off after its head went out: the client got {@link #status()}, but not all of it. */
    public boolean aborted() { return aborted; }
    public void markAborted() { aborted = true; }

    /**
     * A gRPC call's status as the client got it (the backend's, or the gateway's own refusal), whose HTTP status is
     * 200 either way; -1 for other requests, or before the call ended.
     */
    public int grpcStatus() { return grpcStatus; }
    public void grpcStatus(int grpcStatus) { this.grpcStatus = grpcStatus; }

    public long bytesIn() { return bytesIn; }
    public void addBytesIn(long n) { bytesIn += n; }
    public long bytesOut() { return bytesOut; }
    public void addBytesOut(long n) { bytesOut += n; }

    public int attempts() { return attempts; }

    /** Counts one try at a backend: a connection attempt, whether or not it connects. */
    public void attemptStarted() {
        attempts++;
    }

    /** The breaker state of the backend last tried (closed, half_open), or open when refused by breakers; or null. */
    public String breaker() { return breaker; }
    public void breaker(String breaker) { this.breaker = breaker; }

    /** The request head was written to a backend connection: upstream time runs from here. */
    public void upstreamRequestSent() {
        upstreamStartNanos = System.nanoTime();
    }

    public void upstreamHeadersReceived() { upstreamHeadersNanos = System.nanoTime(); }

    /** Something the request holds until it finishes, such as a place in a bulkhead; null for nothing. */
    public void releaseOnFinish(Runnable release) {
        this.release = release;
    }

    /** Marks the request finished with its final status; nothing may change the context afterwards. */
    public void finish(int finalStatus) {
        status = finalStatus;
        endNanos = System.nanoTime();
        if (release != null) {
            release.run();
            release = null;
        }
    }

    /** The W3C trace id (32 lowercase hex) of the request's SERVER span; null when tracing is off. */
    public String traceId() { return traceId; }
    /** The span id (16 lowercase hex) of the request's SERVER span; null when tracing is off. */
    public String spanId() { return spanId; }
    /** The request's trace is sampled (its spans are exported). */
    public boolean traceSampled() { return traceSampled; }

    /** Records the request's SERVER span, once tracing has started it. */
    public void trace(String traceId, String spanId, boolean sampled) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.traceSampled = sampled;
    }

    /** Head received to {@link #finish}. */
    public long durationNanos() { return endNanos - startNanos; }

    /** Nanoseconds from the last upstream attempt to its response headers; -1 when none arrived. */
    public long upstreamNanos() {
        return upstreamHeadersNanos == 0 ? -1 : upstreamHeadersNanos - upstreamStartNanos;
    }
}
