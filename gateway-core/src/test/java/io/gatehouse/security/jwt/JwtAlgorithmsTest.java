package io.gatehouse.security.jwt;

import com.auth0.jwt.algorithms.Algorithm;
import io.gatehouse.security.jwt.JwtOutcome.Rejected;
import io.gatehouse.security.jwt.JwtOutcome.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.gatehouse.security.jwt.JwtConfigBuilder.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which algorithm a token may use is decided by the configured key, never by the token. */
class JwtAlgorithmsTest {
    private static final String PAYLOAD = "{\"sub\":\"alice\",\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}";

    @RegisterExtension
    final Authenticators authenticators = new Authenticators();

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512"})
    void everyAlgorithmVerifiesWithItsKey(String algorithm) {
        JwtAuthenticator authenticator = authenticators.create(keyFor(algorithm));

        assertThat(authenticator.verify(Tokens.valid(algorithm)))
                .isEqualTo(new Verified(Tokens.SUBJECT, List.of(), List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512"})
    void tamperedPayloadIsABadSignature(String algorithm) {
        JwtAuthenticator authenticator = authenticators.create(keyFor(algorithm));
        String tampered = Tokens.withPayload(Tokens.valid(algorithm), PAYLOAD.replace("alice", "admin"));

        assertThat(authenticator.verify(tampered)).isEqualTo(new Rejected("bad signature"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256"})
    void signatureByAnotherKeyIsABadSignature(String algorithm) {
        JwtAuthenticator authenticator = authenticators.create(keyFor(algorithm));
        String forged = Tokens.claims().sign(Tokens.signer(algorithm,
                algorithm.equals("ES256") ? generateP256() : TestKeys.RSA_OTHER));

        assertThat(authenticator.verify(forged)).isEqualTo(new Rejected("bad signature"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void unsignedTokensAreRejectedWhateverTheCase(String none) {
        JwtAuthenticator authenticator = authenticators.create(
                jwt().publicKey(TestKeys.RSA.getPublic()).secret(TestKeys.SECRET));

        assertThat(authenticator.verify(Tokens.compact("{\"alg\":\"" + none + "\"}", PAYLOAD, "")))
                .isEqualTo(new Rejected("unsupported algorithm \"" + none + "\""));
        assertThat(authenticator.verify(Tokens.compact("{\"alg\":\"" + none + "\"}", PAYLOAD, "c2ln")))
                .isEqualTo(new Rejected("unsupported algorithm \"" + none + "\""));
        assertThat(authenticator.verify(Tokens.claims().sign(Algorithm.none())))
                .isEqualTo(new Rejected("unsupported algorithm \"none\""));
    }

    @Test
    void hmacSignedWithTheRsaPublicKeyIsRejected() {
        JwtAuthenticator rsaOnly = authenticators.create(jwt().algorithms("RS256").publicKey(TestKeys.RSA.getPublic()));
        JwtAuthenticator hmacAllowedButNoSecret = authenticators.create(
                jwt().algorithms("RS256", "HS256").publicKey(TestKeys.RSA.getPublic()));
        byte[] der = TestKeys.RSA.getPublic().getEncoded();
        byte[] pem = TestKeys.pem(TestKeys.RSA.getPublic()).getBytes(StandardCharsets.US_ASCII);

        for (byte[] publicKeyAsSecret : new byte[][] {der, pem}) {
            String confused = Tokens.claims().sign(Algorithm.HMAC256(publicKeyAsSecret));
            assertThat(rsaOnly.verify(confused)).isEqualTo(new Rejected("unsupported algorithm \"HS256\""));
            assertThat(hmacAllowedButNoSecret.verify(confused)).isEqualTo(new Rejected("no key for algorithm \"HS256\""));
        }
        assertThat(hmacAllowedButNoSecret.verify(Tokens.valid("RS256"))).isInstanceOf(Verified.class);
    }

    @Test
    void algorithmOutsideTheAllowListIsRejectedEvenWithTheRightKey() {
        JwtAuthenticator authenticator = authenticators.create(
                jwt().algorithms("RS256").publicKey(TestKeys.RSA.getPublic()));

        assertThat(authenticator.verify(Tokens.valid("RS512"))).isEqualTo(new Rejected("unsupported algorithm \"RS512\""));
        assertThat(authenticator.verify(Tokens.valid("PS256"))).isEqualTo(new Rejected("unsupported algorithm \"PS256\""));
        assertThat(authenticator.verify(Tokens.valid("RS256"))).isInstanceOf(Verified.class);
    }

    @Test
    void ecKeyVerifiesOnlyTheAlgorithmOfItsCurve() {
        JwtAuthenticator p384 = authenticators.create(jwt().publicKey(TestKeys.EC_P384.getPublic()));
        String es256 = Tokens.claims().sign(Tokens.signer("ES256", TestKeys.EC_P256));
        String es512 = Tokens.claims().sign(Tokens.signer("ES512", TestKeys.EC_P521));

        assertThat(p384.verify(es256)).isEqualTo(new Rejected("no key for algorithm \"ES256\""));
        assertThat(p384.verify(es512)).isEqualTo(new Rejected("no key for algorithm \"ES512\""));
        assertThat(p384.verify(Tokens.valid("ES384"))).isInstanceOf(Verified.class);
    }

    @Test
    void secretAndPublicKeyTogetherEachVerifyTheirOwnFamily() {
        JwtAuthenticator authenticator = authenticators.create(
                jwt().publicKey(TestKeys.RSA.getPublic()).secret(TestKeys.SECRET));

        assertThat(authenticator.verify(Tokens.valid("HS256"))).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(Tokens.valid("RS256"))).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(Tokens.valid("ES256"))).isEqualTo(new Rejected("no key for algorithm \"ES256\""));
    }

    @Test
    void kidIsIgnoredWithoutAJwks() {
        JwtAuthenticator authenticator = authenticators.create(jwt().publicKey(TestKeys.RSA.getPublic()));

        assertThat(authenticator.verify(Tokens.rs256(claims -> claims.withKeyId("whatever"))))
                .isInstanceOf(Verified.class);
    }

    @Test
    void criticalHeaderExtensionsAreRejected() {
        JwtAuthenticator authenticator = authenticators.create(jwt().secret(TestKeys.SECRET));
        String token = Tokens.claims().withHeader(Map.of("crit", List.of("b64"), "b64", false))
                .sign(Algorithm.HMAC256(TestKeys.SECRET));

        assertThat(authenticator.verify(token)).isEqualTo(new Rejected("unsupported critical header"));
    }

    @Test
    void implausibleAlgorithmNamesAreNotEchoed() {
        JwtAuthenticator authenticator = authenticators.create(jwt().secret(TestKeys.SECRET));

        assertThat(authenticator.verify(Tokens.compact("{\"alg\":\"<script>\"}", PAYLOAD, "c2ln")))
                .isEqualTo(new Rejected("unsupported algorithm"));
        assertThat(authenticator.verify(Tokens.compact("{\"typ\":\"JWT\"}", PAYLOAD, "c2ln")))
                .isEqualTo(new Rejected("unsupported algorithm"));
    }

    @Test
    void configThatCanVerifyNothingIsRefused() {
        assertThatThrownBy(() -> authenticators.create(jwt().algorithms("RS256", "XS999").secret(TestKeys.SECRET)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("XS999");
        assertThatThrownBy(() -> authenticators.create(jwt().algorithms("RS256").secret(TestKeys.SECRET)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
        assertThatThrownBy(() -> authenticators.create(jwt().algorithms("ES256").publicKey(TestKeys.EC_P384.getPublic())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public_key_file");
        assertThatThrownBy(() -> authenticators.create(jwt()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jwks_url");
        assertThatThrownBy(() -> authenticators.create(jwt().algorithms().secret(TestKeys.SECRET)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JWS algorithm");
    }

    private static JwtConfigBuilder keyFor(String algorithm) {
        return algorithm.startsWith("HS")
                ? jwt().secret(TestKeys.SECRET)
                : jwt().publicKey(TestKeys.pairFor(algorithm).getPublic());
    }

    private static KeyPair generateP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
