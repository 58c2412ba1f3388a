package io.gatehouse.bench;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.MatchConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.TimeoutsConfig;
import io.gatehouse.upstream.Backend;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/** Inputs shared by the benchmarks: a route table, request paths into it, a browser request, weighted backends. */
final class Fixtures {
    /** Distinct request paths per kind; a power of two so a cursor can wrap with a mask. */
    static final int PATH_COUNT = 4096;
    static final String[] EXACT_PATHS = {"/login", "/logout", "/robots.txt"};

    private Fixtures() {
    }

    /**
     * {@code routes} routes over {@code routes / 2} services: per service {@code s} a prefix route
     * {@code /svc{s}/api} and a template route {@code /svc{s}/items/{id}}; then the few {@link #EXACT_PATHS}.
     */
    static List<RouteConfig> routeTable(int routes) {
        List<RouteConfig> table = new ArrayList<>(routes + EXACT_PATHS.length);
        for (int s = 0; s < services(routes); s++) {
            table.add(route(prefixRouteId(s), new MatchConfig(null, "/svc" + s + "/api", null, null,
                    List.of(), Map.of(), Map.of(), null)));
            table.add(route(templateRouteId(s), new MatchConfig(null, null, "/svc" + s + "/items/{id}", null,
                    List.of(), Map.of(), Map.of(), null)));
        }
        for (String path : EXACT_PATHS) {
            table.add(route("exact" + path, new MatchConfig(path, null, null, null,
                    List.of(), Map.of(), Map.of(), null)));
        }
        return table;
    }

    static int services(int routes) {
        return Math.max(routes / 2, 1);
    }

    static String prefixRouteId(int service) {
        return "svc" + service + "-api";
    }

    static String templateRouteId(int service) {
        return "svc" + service + "-items";
    }

    /** A request under service {@code s}'s prefix route, four segments deep. */
    static String prefixPath(int s) {
        return "/svc" + s + "/api/orders/" + (1000 + s);
    }

    /** A request matching service {@code s}'s template route. */
    static String templatePath(int s) {
        return "/svc" + s + "/items/" + (7 * s + 1);
    }

    /** A near miss: its first segment names a real service, the rest matches none of its routes. */
    static String missPath(int s) {
        return "/svc" + s + "/billing/invoices/" + s;
    }

    /** {@link #PATH_COUNT} paths of services drawn uniformly (fixed seed) from all {@code services}. */
    static String[] spread(int services, IntFunction<String> pathOfService) {
        SplittableRandom random = new SplittableRandom(42);
        String[] paths = new String[PATH_COUNT];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = pathOfService.apply(random.nextInt(services));
        }
        return paths;
    }

    private static RouteConfig route(String id, MatchConfig match) {
        return new RouteConfig(id, match, "pool-" + id, false, null, false, TimeoutsConfig.INHERIT, null);
    }

    /** A typical 12-header browser request, including a {@code Connection} header naming a custom header. */
    static HttpHeaders browserRequest() {
        return new DefaultHttpHeaders()
                .add("Host", "www.example.com")
                .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .add("Accept-Language", "en-US,en;q=0.5")
                .add("Accept-Encoding", "gzip, deflate, br, zstd")
                .add("Referer", "https://www.example.com/catalog?page=2")
                .add("Cookie", "session=3f9a1c0be24d4f1e8a7b; theme=dark; consent=1")
                .add("Connection", "keep-alive, x-foo")
                .add("X-Foo", "per-hop value")
                .add("Upgrade-Insecure-Requests", "1")
                .add("Sec-Fetch-Mode", "navigate")
                .add("Cache-Control", "max-age=0");
    }

    /** Four backends with weights 1, 2, 3 and 4 (IP literals, so nothing is resolved). */
    static List<Backend> weightedBackends() {
        List<Backend> backends = new ArrayList<>();
        for (int weight = 1; weight <= 4; weight++) {
            String host = "10.0.0." + weight;
            backends.add(new Backend(new BackendConfig("http://" + host + ":8080", host, 8080, weight)));
        }
        return List.copyOf(backends);
    }
}
