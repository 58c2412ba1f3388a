package io.gatehouse.samples;

/** A user of the users sample service. */
record User(long id, String name, String email) implements Identified<User> {

    @Override
    public User withId(long newId) {
        return new User(newId, name, email);
    }
}
