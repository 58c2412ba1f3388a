package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;

/** Binds a list of auth method names ({@code [api_key, jwt, mtls]}) and checks each is configured. */
final class AuthMethods {
    static final String EXPECTED = "expected a list of: api_key, jwt, mtls ([] for public)";

    private AuthMethods() {}

    /** Null when absent. */
    static List<AuthMethod> bind(Node list, AuthConfig auth) {
        if (!list.isPresent()) {
            return null;
        }
        List<AuthMethod> methods = new ArrayList<>();
        for (Node element : list.elements(EXPECTED)) {
            String name = element.item(EXPECTED);
            if (name == null) {
                continue;
            }
            AuthMethod method = byName(name);
            if (method == null) {
                element.invalid(EXPECTED);
            } else if (methods.contains(method)) {
                element.invalid("expected each method once");
            } else if (!isConfigured(method, auth)) {
                element.invalid("expected a configured method: add auth." + section(method));
            } else {
                methods.add(method);
            }
        }
        return methods;
    }

    private static AuthMethod byName(String name) {
        for (AuthMethod method : AuthMethod.values()) {
            if (method.configName().equals(name)) {
                return method;
            }
        }
        return null;
    }

    private static boolean isConfigured(AuthMethod method, AuthConfig auth) {
        return switch (method) {
            case API_KEY -> auth.apiKeys() != null;
            case JWT -> auth.jwt() != null;
            case MTLS -> auth.mtls() != null;
        };
    }

    private static String section(AuthMethod method) {
        return switch (method) {
            case API_KEY -> "api_keys";
            case JWT -> "jwt";
            case MTLS -> "mtls";
        };
    }
}
