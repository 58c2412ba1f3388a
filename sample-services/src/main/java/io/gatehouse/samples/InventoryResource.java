package io.gatehouse.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The {@code /inventory} resource: validation rules and seed data. */
final class InventoryResource {

    private InventoryResource() {
    }

    static ResourceDefinition<Product> definition() {
        return new ResourceDefinition<>("/inventory", "product", InventoryResource::parse, List.of(
                new Product(0, "SKU-001", "Widget", 10, 9.99),
                new Product(0, "SKU-002", "Gadget", 25, 24.5),
                new Product(0, "SKU-003", "Gizmo", 0, 199.0)));
    }

    static Product parse(ObjectNode body) {
        String sku = JsonFields.nonBlankText(body, "sku");
        String name = JsonFields.nonBlankText(body, "name");
        long quantity = JsonFields.nonNegativeInteger(body, "quantity");
        double price = JsonFields.nonNegativeNumber(body, "price");
        return new Product(0, sku, name, quantity, price);
    }
}
