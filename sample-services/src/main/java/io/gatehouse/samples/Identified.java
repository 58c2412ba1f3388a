package io.gatehouse.samples;

/**
 * An entity with a numeric id that can be copied with a different id.
 * Parsers build entities with id 0; the store assigns the real one.
 */
interface Identified<T extends Identified<T>> {

    long id();

    T withId(long id);
}
