package io.gatehouse.security.jwt;

import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;

/**
 * Client-facing reasons for refusing a token. java-jwt's own messages quote claim values, so they are never
 * passed on; the one token value ever echoed is an algorithm name, and only when it looks like one.
 */
final class Rejections {
    static final String MALFORMED = "malformed token";
    static final String BAD_SIGNATURE = "bad signature";

    private static final int MAX_ALGORITHM_NAME = 32;

    private Rejections() {
    }

    /** Why java-jwt's verifier refused the token. */
    static String messageFor(RuntimeException failure) {
        if (failure instanceof TokenExpiredException) {
            return "token expired";
        }
        if (failure instanceof SignatureVerificationException) {
            return BAD_SIGNATURE;
        }
        if (failure instanceof MissingClaimException missing) {
            return claimMessage(missing.getClaimName());
        }
        if (failure instanceof IncorrectClaimException incorrect) {
            return claimMessage(incorrect.getClaimName());
        }
        if (failure instanceof JWTDecodeException) {
            return MALFORMED;
        }
        return "invalid token";
    }

    private static String claimMessage(String claim) {
        return switch (claim) {
            case "iss" -> "wrong issuer";
            case "aud" -> "wrong audience";
            case "exp" -> "token has no expiry";
            case "nbf" -> "token not yet valid";
            case "iat" -> "token issued in the future";
            default -> "invalid claim";
        };
    }

    /** E.g. {@code unsupported algorithm "none"}; the name is left out when it is not a plausible one. */
    static String unsupportedAlgorithm(String name) {
        return "unsupported algorithm" + quoted(name);
    }

    /** E.g. {@code no key for algorithm "HS256"}. */
    static String noKeyFor(JwsAlgorithm algorithm) {
        return "no key for algorithm" + quoted(algorithm.name());
    }

    /** E.g. {@code algorithm "PS256" not allowed for key}: the token's kid names a key meant for another. */
    static String notAllowedForKey(JwsAlgorithm algorithm) {
        return "algorithm" + quoted(algorithm.name()) + " not allowed for key";
    }

    private static String quoted(String name) {
        return isAlgorithmName(name) ? " \"" + name + "\"" : "";
    }

    /** 1 to 32 of {@code A-Z a-z 0-9 + . _ -}, checked by hand since it runs per request. */
    private static boolean isAlgorithmName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_ALGORITHM_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '+' || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
