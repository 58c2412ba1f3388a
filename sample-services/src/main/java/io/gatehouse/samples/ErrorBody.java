package io.gatehouse.samples;

/** JSON shape of every error response: {@code {"error":"...","message":"..."}}. */
record ErrorBody(String error, String message) {
}
