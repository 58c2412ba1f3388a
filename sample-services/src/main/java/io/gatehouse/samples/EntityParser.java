package io.gatehouse.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Validates a request body and turns it into an entity (with id 0).
 * Throws {@link ApiException} ({@code validation_failed}) naming the first invalid field.
 */
@FunctionalInterface
interface EntityParser<T> {

    T parse(ObjectNode body);
}
