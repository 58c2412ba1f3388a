package io.gatehouse.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Field-level validation helpers shared by the entity parsers; each failure names its field. */
final class JsonFields {

    private JsonFields() {
    }

    /** A string field that is present and not blank. */
    static String nonBlankText(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.validation(field, "is required");
        }
        if (!node.isTextual()) {
            throw ApiException.validation(field, "must be a string");
        }
        String value = node.textValue();
        if (value.isBlank()) {
            throw ApiException.validation(field, "must not be blank");
        }
        return value;
    }

    /** A non-blank string field of at most {@code maxLength} characters (code points). */
    static String nonBlankText(ObjectNode body, String field, int maxLength) {
        String value = nonBlankText(body, field);
        if (value.codePointCount(0, value.length()) > maxLength) {
            throw ApiException.validation(field, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** A JSON integer (no fraction, fits a long) that is {@code >= 0}. */
    static long nonNegativeInteger(ObjectNode body, String field) {
        JsonNode node = required(body, field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.validation(field, "must be an integer");
        }
        long value = node.longValue();
        if (value < 0) {
            throw ApiException.validation(field, "must be >= 0");
        }
        return value;
    }

    /** A finite JSON number that is {@code >= 0}. */
    static double nonNegativeNumber(ObjectNode body, String field) {
        JsonNode node = required(body, field);
        if (!node.isNumber()) {
            throw ApiException.validation(field, "must be a number");
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw ApiException.validation(field, "must be a finite number");
        }
        if (value < 0) {
            throw ApiException.validation(field, "must be >= 0");
        }
        return value;
    }

    private static JsonNode required(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.validation(field, "is required");
        }
        return node;
    }
}
