package io.gatehouse.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One parsed HTTP response, as {@link RawHttp#readResponse()} returns it. */
public record Reply(String statusLine, int status, List<String[]> headers, String body) {
    private static final Pattern ERROR_CODE = Pattern.compile("\"error\":\"([^\"]*)\"");

    public static Reply parse(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, headEnd).split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
        }
        return new Reply(lines[0], Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(headEnd + 4));
    }

    /** Every value of the header {@code name}, case-insensitively, in order. */
    public List<String> all(String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(statusLine);
        headers.forEach(h -> text.append(" | ").append(h[0]).append(": ").append(h[1]));
        return text.append(" | ").append(body.strip()).toString();
    }

    /** The {@code error} code of a gateway JSON error body. */
    public String errorCode() {
        Matcher m = ERROR_CODE.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
