package io.gatehouse.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single handler of a sample server: {@code /healthz}, the resource routes, 404 for anything else,
 * and the mapping of failures to JSON error responses.
 */
final class Dispatcher implements HttpHandler {

    static final String HEALTH_PATH = "/healthz";
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    /** JSON shape of the health response. */
    record Health(String status, String name) {
    }

    private final String name;
    private final ResourceRouter router;
    private final ResponseWriter writer;

    Dispatcher(String name, ResourceRouter router) {
        this.name = name;
        this.router = router;
        this.writer = new ResponseWriter(name);
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            writer.write(exchange, respond(exchange));
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not complete exchange", e);
        } finally {
            exchange.close();
        }
    }

    private ApiResponse respond(HttpExchange exchange) {
        try {
            return route(exchange);
        } catch (ApiException e) {
            return e.toResponse();
        } catch (IOException e) {
            return new ApiException(400, "bad_request", "could not read request body").toResponse();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "unexpected failure in " + name, e);
            return new ApiException(500, "internal_error", "unexpected server error").toResponse();
        }
    }

    private ApiResponse route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (HEALTH_PATH.equals(path)) {
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                throw ApiException.methodNotAllowed("GET, HEAD");
            }
            return ApiResponse.json(200, new Health("ok", name));
        }
        Optional<ApiResponse> response = router.route(exchange, path == null ? "" : path);
        return response.orElseThrow(() -> ApiException.notFound("no such resource"));
    }
}
