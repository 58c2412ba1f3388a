package io.gatehouse.context;

/** The HTTP version a client request came in, as the access log and the request metrics name it. */
public enum Protocol {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1"),
    HTTP_2("HTTP/2");

    private final String text;

    Protocol(String text) {
        this.text = text;
    }

    /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}. */
    public String text() {
        return text;
    }
}
