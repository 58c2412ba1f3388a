package io.gatehouse.samples;

/** A product of the inventory sample service. */
record Product(long id, String sku, String name, long quantity, double price) implements Identified<Product> {

    @Override
    public Product withId(long newId) {
        return new Product(newId, sku, name, quantity, price);
    }
}
