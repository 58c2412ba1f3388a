package io.gatehouse.bench;

import io.gatehouse.config.PoolConfig;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.balance.Balancer;
import io.gatehouse.upstream.balance.Balancers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** {@link Balancer#pick()} of every strategy over four idle backends weighted 1, 2, 3 and 4. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class BalancerBenchmark {
    @Param({"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONNECTIONS", "RANDOM"})
    public PoolConfig.Strategy strategy;

    private Balancer balancer;

    @Setup
    public void setUp() {
        balancer = Balancers.create(strategy, Fixtures.weightedBackends());
    }

    @Benchmark
    public Backend pick() {
        return balancer.pick();
    }
}
