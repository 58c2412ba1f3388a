package io.gatehouse.samples;

import java.util.List;

/**
 * Everything that makes one CRUD resource specific: where it lives, what it is called,
 * how request bodies are validated, and its seed data.
 *
 * @param path     collection path, e.g. {@code /users}
 * @param singular human-readable singular noun used in messages, e.g. {@code user}
 * @param parser   validating body parser
 * @param seed     entities (with id 0) created at start-up, in order
 */
record ResourceDefinition<T extends Identified<T>>(String path, String singular, EntityParser<T> parser, List<T> seed) {

    ResourceDefinition {
        if (!path.matches("/[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("resource path must be a single lower-case segment: " + path);
        }
        seed = List.copyOf(seed);
    }
}
