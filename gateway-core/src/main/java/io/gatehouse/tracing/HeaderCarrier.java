package io.gatehouse.tracing;

import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Lets the propagators read a request head's headers and write an upstream request's, in place. A null carrier (a
 * request refused before its head was read) has no headers.
 */
enum HeaderCarrier implements TextMapGetter<HttpHeaders>, TextMapSetter<HttpHeaders> {
    INSTANCE;

    @Override
    public Iterable<String> keys(HttpHeaders carrier) {
        return carrier == null ? java.util.List.of() : carrier.names();
    }

    @Override
    public String get(HttpHeaders carrier, String key) {
        return carrier == null ? null : carrier.get(key);
    }

    @Override
    public void set(HttpHeaders carrier, String key, String value) {
        if (carrier != null) {
            carrier.set(key, value);
        }
    }
}
