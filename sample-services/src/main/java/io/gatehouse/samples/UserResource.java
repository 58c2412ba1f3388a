package io.gatehouse.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The {@code /users} resource: validation rules and seed data. */
final class UserResource {

    static final int MAX_NAME_LENGTH = 100;

    private UserResource() {
    }

    static ResourceDefinition<User> definition() {
        return new ResourceDefinition<>("/users", "user", UserResource::parse, List.of(
                new User(0, "Ada Lovelace", "ada@example.com"),
                new User(0, "Alan Turing", "alan@example.com"),
                new User(0, "Grace Hopper", "grace@example.com")));
    }

    static User parse(ObjectNode body) {
        String name = JsonFields.nonBlankText(body, "name", MAX_NAME_LENGTH);
        String email = JsonFields.nonBlankText(body, "email");
        if (email.indexOf('@') < 0) {
            throw ApiException.validation("email", "must contain @");
        }
        return new User(0, name, email);
    }
}
