package io.gatehouse.samples;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Optional;

/**
 * Maps {@code /resource} and {@code /resource/{id}} plus the HTTP method onto a {@link CrudResource}. HEAD is
 * answered wherever GET is (RFC 9110 §9.3.2); {@link ResponseWriter} leaves out its body.
 */
final class ResourceRouter {

    static final String COLLECTION_METHODS = "GET, HEAD, POST";
    static final String ITEM_METHODS = "GET, HEAD, PUT, DELETE";
    private static final int MAX_ID_DIGITS = 18;

    private final CrudResource<?> resource;

    ResourceRouter(CrudResource<?> resource) {
        this.resource = resource;
    }

    /** The response for this request, or empty if the path does not belong to this resource. */
    Optional<ApiResponse> route(HttpExchange exchange, String path) throws IOException {
        String base = resource.path();
        String method = exchange.getRequestMethod();
        if (path.equals(base)) {
            return Optional.of(collection(exchange, method));
        }
        if (path.startsWith(base + "/")) {
            String idSegment = path.substring(base.length() + 1);
            if (!idSegment.isEmpty() && idSegment.indexOf('/') < 0) {
                return Optional.of(item(exchange, method, idSegment));
            }
        }
        return Optional.empty();
    }

    private ApiResponse collection(HttpExchange exchange, String method) throws IOException {
        return switch (method) {
            case "GET", "HEAD" -> resource.list();
            case "POST" -> resource.create(RequestBodies.readJson(exchange));
            default -> throw ApiException.methodNotAllowed(COLLECTION_METHODS);
        };
    }

    private ApiResponse item(HttpExchange exchange, String method, String idSegment) throws IOException {
        return switch (method) {
            case "GET", "HEAD" -> resource.get(parseId(idSegment));
            case "PUT" -> {
                long id = parseId(idSegment);
                yield resource.replace(id, RequestBodies.readJson(exchange));
            }
            case "DELETE" -> resource.delete(parseId(idSegment));
            default -> throw ApiException.methodNotAllowed(ITEM_METHODS);
        };
    }

    static long parseId(String segment) {
        if (segment.isEmpty() || segment.length() > MAX_ID_DIGITS) {
            throw ApiException.invalidId();
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                throw ApiException.invalidId();
            }
        }
        return Long.parseLong(segment);
    }
}
