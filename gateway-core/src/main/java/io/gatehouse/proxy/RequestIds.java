package io.gatehouse.proxy;

/** Which client-sent {@code X-Request-ID} values the gateway keeps: 1–128 chars of {@code [A-Za-z0-9._-]}. */
final class RequestIds {
    private static final int MAX_LENGTH = 128;

    private RequestIds() {}

    static boolean isValid(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
