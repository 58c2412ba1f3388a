package io.gatehouse.bench;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.proxy.ForwardedHeaders;
import io.gatehouse.proxy.HopByHopHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The upstream request's header work on a 12-header browser request. Strip and apply change the headers, so
 * each case starts from a fresh copy: the cost of a step is its case minus the one before it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class HeadersBenchmark {
    private HttpHeaders request;
    private ForwardedHeaders forwarded;
    private ClientPeer peer;

    @Setup
    public void setUp() throws UnknownHostException {
        request = Fixtures.browserRequest();
        forwarded = new ForwardedHeaders(List.of()); // no trusted proxies: the default configuration
        peer = forwarded.peer(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7}));
    }

    @Benchmark
    public HttpHeaders copy() {
        return new DefaultHttpHeaders().add(request);
    }

    @Benchmark
    public void copyStrip(Blackhole blackhole) {
        HttpHeaders headers = copy();
        HopByHopHeaders.strip(headers);
        blackhole.consume(headers);
    }

    @Benchmark
    public void copyStripForward(Blackhole blackhole) {
        HttpHeaders headers = copy();
        HopByHopHeaders.strip(headers);
        forwarded.apply(headers, peer, "www.example.com");
        blackhole.consume(headers);
    }
}
