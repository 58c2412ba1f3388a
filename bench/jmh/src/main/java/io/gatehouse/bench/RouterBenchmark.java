package io.gatehouse.bench;

import io.gatehouse.route.PathNormalizer;
import io.gatehouse.route.RouteResult;
import io.gatehouse.route.Router;
import io.netty.handler.codec.http.EmptyHttpHeaders;
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
import java.util.function.IntFunction;

/**
 * {@link Router#match} against tables of 10 to 10,000 routes (prefix and template, half each, plus three exact
 * routes), and {@link PathNormalizer#normalize}. The prefix, template and miss cases cycle through
 * {@link Fixtures#PATH_COUNT} paths spread over the whole table; {@code prefixFixed} hits one route every time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouterBenchmark {

    @State(Scope.Thread)
    public static class Table {
        @Param({"10", "1000", "10000"})
        public int routes;

        Router router;
        String[] prefixPaths;
        String[] templatePaths;
        String[] missPaths;
        String fixedPath;
        private int cursor;

        @Setup
        public void setUp() {
            router = Router.compile(Fixtures.routeTable(routes));
            int services = Fixtures.services(routes);
            prefixPaths = checked(services, Fixtures::prefixPath, Fixtures::prefixRouteId);
            templatePaths = checked(services, Fixtures::templatePath, Fixtures::templateRouteId);
            missPaths = checked(services, Fixtures::missPath, s -> null);
            fixedPath = prefixPaths[0];
        }

        /** The next index into the path arrays, wrapping around. */
        int next() {
            cursor = (cursor + 1) & (Fixtures.PATH_COUNT - 1);
            return cursor;
        }

        RouteResult match(String normalizedPath) {
            return router.match("GET", "api.example.com", normalizedPath, null, EmptyHttpHeaders.INSTANCE);
        }

        /** Spreads paths over the table and fails the run unless each routes where the benchmark name says. */
        private String[] checked(int services, IntFunction<String> path, IntFunction<String> expectedRouteId) {
            for (int s = 0; s < services; s++) {
                RouteResult result = match(path.apply(s));
                String expected = expectedRouteId.apply(s);
                boolean ok = expected == null
                        ? result == RouteResult.NotFound.INSTANCE
                        : result instanceof RouteResult.Matched m && m.route().id().equals(expected);
                if (!ok) {
                    throw new IllegalStateException(path.apply(s) + " gave " + result + ", expected " + expected);
                }
            }
            return Fixtures.spread(services, path);
        }
    }

    @State(Scope.Thread)
    public static class RawPaths {
        String clean = "/svc42/api/orders/1042";
        String dotted = "/svc42/api/./v1/../orders/1042";
    }

    @Benchmark
    public RouteResult prefix(Table table) {
        return table.match(table.prefixPaths[table.next()]);
    }

    @Benchmark
    public RouteResult template(Table table) {
        return table.match(table.templatePaths[table.next()]);
    }

    @Benchmark
    public RouteResult miss(Table table) {
        return table.match(table.missPaths[table.next()]);
    }

    @Benchmark
    public RouteResult prefixFixed(Table table) {
        return table.match(table.fixedPath);
    }

    @Benchmark
    public String normalizeClean(RawPaths paths) {
        return PathNormalizer.normalize(paths.clean);
    }

    @Benchmark
    public String normalizeDotted(RawPaths paths) {
        return PathNormalizer.normalize(paths.dotted);
    }
}
