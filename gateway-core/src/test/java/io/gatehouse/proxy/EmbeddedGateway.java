package io.gatehouse.proxy;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.pool.ConnectionPools;
import io.gatehouse.proxy.downstream.ClientPipeline;
import io.gatehouse.security.EdgeSecurity;
import io.gatehouse.testing.PrometheusText;
import io.gatehouse.upstream.UpstreamPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultEventExecutor;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GatewayRuntime} built from YAML the way {@code GatewayServer} builds it, without a listener or event
 * loop group: each {@link #connect} is an {@link EmbeddedChannel} carrying the real client pipeline
 * ({@link ClientPipeline#configure}). Only requests the gateway answers itself can be served; nothing is ever
 * proxied (the embedded loop cannot host upstream sockets), so routes should point at an unreachable upstream.
 */
public final class EmbeddedGateway implements AutoCloseable {
    /** The socket peer of a client channel unless a test picks another (TEST-NET-3, never a real client). */
    static final InetSocketAddress DEFAULT_PEER = new InetSocketAddress("203.0.113.7", 50123);

    private final GatewayMetrics metrics = new GatewayMetrics();
    /** Health executor of the pools and the JWT scheduler; its thread starts only if a task is ever given. */
    private final DefaultEventExecutor executor = new DefaultEventExecutor();
    private final EdgeSecurity security;
    private final GatewayRuntime runtime;
    private final List<Client> clients = new ArrayList<>();

    private EmbeddedGateway(GatewayConfig config) {
        ConnectionPools connectionPools = new ConnectionPools(NioSocketChannel.class,
                DefaultAddressResolverGroup.INSTANCE, 1, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
        Map<String, UpstreamPool> pools = new LinkedHashMap<>();
        for (PoolConfig poolConfig : config.pools().values()) {
            UpstreamPool pool = new UpstreamPool(poolConfig, executor, metrics.backends().events(poolConfig),
                    System::nanoTime);
            pools.put(pool.name(), pool);
            metrics.backends().registerProtection(pool);
        }
        metrics.backends().show(pools.values(), connectionPools::peekCounts);
        this.security = new EdgeSecurity(config, metrics, executor);
        this.runtime = new GatewayRuntime(
                GatewaySnapshot.compile(config, pools, security, null, metrics, System::nanoTime, null),
                connectionPools, metrics, finished -> { }, System::nanoTime, // no test reads its access log
                java.util.List.of());
    }

    public static EmbeddedGateway start(String yaml) {
        return new EmbeddedGateway(ConfigLoader.parse(yaml, Map.of()));
    }

    public GatewayRuntime runtime() {
        return runtime;
    }

    /** A client connection from {@link #DEFAULT_PEER}, active, with the client pipeline installed. */
    public Client connect() throws Exception {
        return connect(DEFAULT_PEER);
    }

    /** A client connection from {@code peer}: pipeline installed first, then registered (and thus active). */
    public Client connect(InetSocketAddress peer) throws Exception {
        Client client = new Client(peer);
        ClientPipeline.configure(client.pipeline(), runtime);
        client.register();
        clients.add(client);
        return client;
    }

    /** One sample of the Prometheus exposition, e.g. {@code gatehouse_auth_rejections_total}, or NaN. */
    public double metric(String name, String... labels) {
        return PrometheusText.value(metrics.scrape(), name, labels);
    }

    @Override
    public void close() {
        for (Client client : clients) {
            client.finishAndReleaseAll();
        }
        security.close();
        executor.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A client connection: raw bytes in, the gateway's raw response bytes out. */
    public static final class Client extends EmbeddedChannel {
        private final InetSocketAddress peer;

        private Client(InetSocketAddress peer) {
            super(false, false); // not registered yet: the pipeline must be in place before channelActive
            this.peer = peer;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return peer;
        }

        /** Writes {@code text} (US-ASCII) as one socket read. */
        public Client send(String text) {
            writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
            return this;
        }

        /** Sends {@code text} and returns every complete response written since the last read. */
        public List<Reply> exchange(String text) {
            send(text);
            return replies();
        }

        /** Every byte written to the client since the last read, as ISO-8859-1 text; the buffers are released. */
        public String outboundText() {
            StringBuilder text = new StringBuilder();
            Object msg;
            while ((msg = readOutbound()) != null) {
                try {
                    if (!(msg instanceof ByteBuf buf)) {
                        throw new AssertionError("expected only bytes towards the client, got " + msg);
                    }
                    text.append(buf.toString(StandardCharsets.ISO_8859_1));
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }
            return text.toString();
        }

        /** The responses written since the last read; fails on a trailing partial response. */
        public List<Reply> replies() {
            return Reply.parseAll(outboundText());
        }
    }

    /** One response as the client's bytes show it. Header names compare case-insensitively. */
    public record Reply(String statusLine, int status, List<Map.Entry<String, String>> headers, String body) {
        /** Splits a byte stream into responses framed by Content-Length (absent: no body). */
        static List<Reply> parseAll(String text) {
            List<Reply> replies = new ArrayList<>();
            int at = 0;
            while (at < text.length()) {
                int headEnd = text.indexOf("\r\n\r\n", at);
                if (headEnd < 0) {
                    throw new AssertionError("partial response head: " + text.substring(at));
                }
                String[] lines = text.substring(at, headEnd).split("\r\n");
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
                }
                String[] statusParts = lines[0].split(" ", 3);
                int status = Integer.parseInt(statusParts[1]);
                Reply head = new Reply(lines[0], status, headers, "");
                String length = head.header("Content-Length");
                int bodyLength = length == null ? 0 : Integer.parseInt(length);
                int bodyStart = headEnd + 4;
                if (bodyStart + bodyLength > text.length()) {
                    throw new AssertionError("partial response body: " + text.substring(at));
                }
                replies.add(new Reply(lines[0], status, headers, text.substring(bodyStart, bodyStart + bodyLength)));
                at = bodyStart + bodyLength;
            }
            return replies;
        }

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : values.get(0);
        }

        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, String> header : headers) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    values.add(header.getValue());
                }
            }
            return values;
        }

        /** A top-level string member of the JSON body, e.g. {@code error}, or null. */
        public String json(String member) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("\"" + java.util.regex.Pattern.quote(member) + "\":\"([^\"]*)\"").matcher(body);
            return m.find() ? m.group(1) : null;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(statusLine);
            headers.forEach(h -> text.append(" | ").append(h.getKey()).append(": ").append(h.getValue()));
            return text.append(" | ").append(body.strip()).toString();
        }
    }
}
