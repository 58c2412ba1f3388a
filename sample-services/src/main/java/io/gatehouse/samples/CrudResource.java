package io.gatehouse.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The five CRUD operations of one resource over an {@link InMemoryStore}; knows nothing of HTTP plumbing. */
final class CrudResource<T extends Identified<T>> {

    private final ResourceDefinition<T> definition;
    private final InMemoryStore<T> store = new InMemoryStore<>();

    CrudResource(ResourceDefinition<T> definition) {
        this.definition = definition;
        definition.seed().forEach(store::create);
    }

    String path() {
        return definition.path();
    }

    ApiResponse list() {
        return ApiResponse.json(200, store.list());
    }

    ApiResponse create(JsonNode body) {
        T created = store.create(parse(body));
        return ApiResponse.json(201, created).withHeader("Location", definition.path() + "/" + created.id());
    }

    ApiResponse get(long id) {
        return ApiResponse.json(200, store.get(id).orElseThrow(() -> notFound(id)));
    }

    ApiResponse replace(long id, JsonNode body) {
        T draft = parse(body);
        return ApiResponse.json(200, store.replace(id, draft).orElseThrow(() -> notFound(id)));
    }

    ApiResponse delete(long id) {
        if (!store.delete(id)) {
            throw notFound(id);
        }
        return ApiResponse.noContent();
    }

    private T parse(JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            throw ApiException.validation("body", "must be a JSON object");
        }
        return definition.parser().parse(object);
    }

    private ApiException notFound(long id) {
        return ApiException.notFound(definition.singular() + " " + id + " not found");
    }
}
