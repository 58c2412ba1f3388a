package io.gatehouse.samples;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The bundled sample services: their subcommand name, default port and resource. */
public enum ServiceKind {

    /** {@code /users} CRUD service, default port 9001. */
    USERS("users", 9001, UserResource::definition),
    /** {@code /inventory} CRUD service, default port 9002. */
    INVENTORY("inventory", 9002, InventoryResource::definition);

    private final String command;
    private final int defaultPort;
    private final Supplier<ResourceDefinition<?>> resource;

    ServiceKind(String command, int defaultPort, Supplier<ResourceDefinition<?>> resource) {
        this.command = command;
        this.defaultPort = defaultPort;
        this.resource = resource;
    }

    /** Subcommand name, also the default service name: {@code users} or {@code inventory}. */
    public String command() {
        return command;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Collection path served, e.g. {@code /users}. */
    public String resourcePath() {
        return resource.get().path();
    }

    public static Optional<ServiceKind> fromCommand(String command) {
        return Arrays.stream(values())
                .filter(kind -> kind.command.equals(command.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** A fresh, seeded resource for one server instance. */
    CrudResource<?> newResource() {
        return newResource(resource.get());
    }

    private static <T extends Identified<T>> CrudResource<T> newResource(ResourceDefinition<T> definition) {
        return new CrudResource<>(definition);
    }
}
