package io.gatehouse.grpc;

import io.netty.util.AsciiString;

import java.util.Locale;

/**
 * The gRPC status codes (grpc/doc/statuscodes.md). In the config a code is written by its name in any letter case
 * ({@code unavailable}, {@code UNAVAILABLE}) or by its number ({@code 14}).
 */
public enum GrpcStatus {
    OK,
    CANCELLED,
    UNKNOWN,
    INVALID_ARGUMENT,
    DEADLINE_EXCEEDED,
    NOT_FOUND,
    ALREADY_EXISTS,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    FAILED_PRECONDITION,
    ABORTED,
    OUT_OF_RANGE,
    UNIMPLEMENTED,
    INTERNAL,
    UNAVAILABLE,
    DATA_LOSS,
    UNAUTHENTICATED;

    /** What a config error says a code may be. */
    public static final String EXPECTED = "expected a gRPC status code name such as unavailable, or its number 1..16";

    private static final GrpcStatus[] BY_VALUE = values();

    /** The {@code grpc-status} header value, made once. */
    private final AsciiString headerValue = AsciiString.of(Integer.toString(ordinal()));

    /** The code's number, as {@code grpc-status} carries it (the declaration order is the numbering). */
    public int value() {
        return ordinal();
    }

    /** The lower-case name, as the docs and config errors write it. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    AsciiString headerValue() {
        return headerValue;
    }

    /** The code numbered {@code value}; null when there is none. */
    public static GrpcStatus ofValue(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    /**
     * The code of a {@code grpc-status} header value (1 or 2 ASCII digits); null when absent or not a known code,
     * read without allocating.
     */
    public static GrpcStatus ofHeader(CharSequence value) {
        if (value == null || value.isEmpty() || value.length() > 2) {
            return null;
        }
        int number = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            number = number * 10 + (c - '0');
        }
        return ofValue(number);
    }

    /**
     * A code as the config writes it: a name in any letter case, or a number.
     *
     * @throws IllegalArgumentException with {@link #EXPECTED} for anything else
     */
    public static GrpcStatus parse(String text) {
        GrpcStatus byNumber = ofHeader(text);
        if (byNumber != null) {
            return byNumber;
        }
        for (GrpcStatus status : BY_VALUE) {
            if (status.name().equalsIgnoreCase(text)) {
                return status;
            }
        }
        throw new IllegalArgumentException(EXPECTED);
    }

    /**
     * The code a gRPC client gets for a refusal the gateway answers with {@code httpStatus}: the gRPC spec's
     * HTTP-to-gRPC mapping (doc/http-grpc-status-mapping.md), except that a rate limit or a body over the limit is
     * {@link #RESOURCE_EXHAUSTED}, as quota errors are in gRPC, and timeouts (408, 504) are
     * {@link #DEADLINE_EXCEEDED}, as the client's own deadline would be.
     */
    public static GrpcStatus ofHttpStatus(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> INTERNAL;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> UNIMPLEMENTED;
            case 408, 504 -> DEADLINE_EXCEEDED;
            case 413, 429 -> RESOURCE_EXHAUSTED;
            case 502, 503 -> UNAVAILABLE;
            default -> UNKNOWN;
        };
    }
}
