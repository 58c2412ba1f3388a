package io.gatehouse.security.jwt;

import io.gatehouse.security.jwt.JwtOutcome.Rejected;
import io.gatehouse.security.jwt.JwtOutcome.Verified;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static io.gatehouse.security.jwt.JwtConfigBuilder.jwt;
import static org.assertj.core.api.Assertions.assertThat;

/** Input that is not a well-formed compact JWS is refused cheaply and never throws. */
class JwtTokenShapeTest {
    private static final String HEADER = "{\"alg\":\"HS256\"}";
    private static final String PAYLOAD = "{\"sub\":\"alice\",\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}";

    @RegisterExtension
    final Authenticators authenticators = new Authenticators();
    private JwtAuthenticator authenticator;

    @BeforeEach
    void setUp() {
        authenticator = authenticators.create(jwt().secret(TestKeys.SECRET));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingToken(String token) {
        assertThat(authenticator.verify(token)).isEqualTo(new Rejected("missing token"));
    }

    @Test
    void oversizedInputIsRejectedBeforeAnyParsing() {
        // Garbage that would otherwise be "malformed token": the length check comes first.
        String garbage = "%".repeat(JwtAuthenticator.MAX_TOKEN_CHARS + 1);

        assertThat(authenticator.verify(garbage)).isEqualTo(new Rejected("token too long"));
    }

    @Test
    void validTokensAreAcceptedUpToTheLimitAndRejectedPastIt() {
        String largestAccepted = null;
        String smallestRejected = null;
        for (int padding = 5_900; smallestRejected == null; padding++) {
            String token = Tokens.claims().withClaim("pad", "x".repeat(padding)).sign(Tokens.signer("HS256", null));
            if (token.length() <= JwtAuthenticator.MAX_TOKEN_CHARS) {
                largestAccepted = token;
            } else {
                smallestRejected = token;
            }
        }

        assertThat(largestAccepted).hasSizeGreaterThan(JwtAuthenticator.MAX_TOKEN_CHARS - 3);
        assertThat(authenticator.verify(largestAccepted)).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(smallestRejected)).isEqualTo(new Rejected("token too long"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "garbage",
            "not a token at all",
            "onlyone.dot",
            "a.b.c.d",
            "..",
            ".eyJhIjoxfQ.c2ln",
            "eyJhbGciOiJIUzI1NiJ9..c2ln",
            "eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ==.c2ln",
            "eyJhbGciOiJIUzI1NiJ9.eyJhIjox+Q.c2ln",
            "eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln\r\n",
            "eyJhbGciOiJIUzI1NiJ9A.eyJhIjoxfQ.c2ln", // 4n+1 base64 characters cannot be decoded
    })
    void malformedShapesAreRejected(String token) {
        assertThat(authenticator.verify(token)).isEqualTo(new Rejected("malformed token"));
    }

    @Test
    void headerOrPayloadThatIsNotAJsonObjectIsMalformed() {
        assertThat(authenticator.verify(Tokens.compact("{\"alg\":\"HS256\"", PAYLOAD, "c2ln")))
                .isEqualTo(new Rejected("malformed token"));
        assertThat(authenticator.verify(Tokens.compact(HEADER, "{\"sub\":", "c2ln")))
                .isEqualTo(new Rejected("malformed token"));
        assertThat(authenticator.verify(Tokens.compact(HEADER, "[1,2]", "c2ln")))
                .isEqualTo(new Rejected("malformed token"));
        assertThat(authenticator.verify(Tokens.compact("\"HS256\"", PAYLOAD, "c2ln")))
                .isEqualTo(new Rejected("malformed token"));
        assertThat(authenticator.verify(Tokens.b64("not json") + "." + Tokens.b64(PAYLOAD) + ".c2ln"))
                .isEqualTo(new Rejected("malformed token"));
    }

    @Test
    void registeredClaimOfTheWrongTypeIsMalformed() {
        String stringExpiry = Tokens.claims().withClaim("exp", "tomorrow").sign(Tokens.signer("HS256", null));

        assertThat(authenticator.verify(stringExpiry)).isEqualTo(new Rejected("malformed token"));
    }

    @Test
    void wellFormedTokenWithAnEmptyOrGarbledSignatureIsABadSignature() {
        String[] parts = Tokens.valid("HS256").split("\\.");

        assertThat(authenticator.verify(parts[0] + "." + parts[1] + ".")).isEqualTo(new Rejected("bad signature"));
        assertThat(authenticator.verify(parts[0] + "." + parts[1] + ".AAAA")).isEqualTo(new Rejected("bad signature"));
    }
}
