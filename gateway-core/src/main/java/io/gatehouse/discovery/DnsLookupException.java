package io.gatehouse.discovery;

/** No DNS server gave an answer (timeouts, SERVFAIL, REFUSED, ...); the message names what each one did. */
final class DnsLookupException extends Exception {
    DnsLookupException(String message) {
        super(message, null, false, false);
    }
}
