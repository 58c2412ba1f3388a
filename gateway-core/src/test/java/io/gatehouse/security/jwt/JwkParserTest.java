package io.gatehouse.security.jwt;

import io.gatehouse.security.jwt.JwkParser.Jwk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwkParserTest {
    private static final String GOOD = Jwks.rsa("good", TestKeys.RSA.getPublic());

    @Test
    void rsaAndEcKeysWithTheirKidAndAlg() {
        List<Jwk> keys = parse(Jwks.set(
                Jwks.rsa("r", TestKeys.RSA.getPublic(), "PS256"),
                Jwks.ec("p256", TestKeys.EC_P256.getPublic(), "P-256"),
                Jwks.ec("p384", TestKeys.EC_P384.getPublic(), "P-384"),
                Jwks.ec(null, TestKeys.EC_P521.getPublic(), "P-521")));

        assertThat(keys).containsExactly(
                new Jwk("r", TestKeys.RSA.getPublic(), "PS256"),
                new Jwk("p256", TestKeys.EC_P256.getPublic(), null),
                new Jwk("p384", TestKeys.EC_P384.getPublic(), null),
                new Jwk(null, TestKeys.EC_P521.getPublic(), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"kty\":\"RSA\",\"use\":\"enc\",\"kid\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
            "{\"kty\":\"oct\",\"kid\":\"sym\",\"k\":\"c2VjcmV0\"}",
            "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
            "{\"kid\":\"no-kty\"}",
            "{\"kty\":\"RSA\",\"e\":\"AQAB\"}",
            "{\"kty\":\"RSA\",\"n\":\"***\",\"e\":\"AQAB\"}",
            "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"\"}",
            "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"AQAB\",\"y\":\"AQAB\"}",
            "{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AQAB\",\"y\":\"AQAB\"}",
            "{\"kty\":\"EC\",\"x\":\"AQAB\",\"y\":\"AQAB\"}",
            "\"just a string\"",
            "[]",
    })
    void unusableKeysAreSkippedAndTheRestKept(String bad) {
        assertThat(parse(Jwks.set(bad, GOOD))).extracting(Jwk::kid).containsExactly("good");
    }

    @Test
    void membersOfTheWrongJsonTypeAreSkipped() {
        String numericKid = Jwks.rsa("x", TestKeys.RSA.getPublic()).replace("\"kid\":\"x\"", "\"kid\":7");
        String numericAlg = Jwks.rsa("y", TestKeys.RSA.getPublic(), "RS256").replace("\"RS256\"", "256");

        assertThat(parse(Jwks.set(numericKid, numericAlg, GOOD))).extracting(Jwk::kid).containsExactly("good");
    }

    @Test
    void ecCoordinatesOfTheWrongLengthAreSkipped() {
        ECPublicKey key = (ECPublicKey) TestKeys.EC_P256.getPublic();
        String shortX = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"short\",\"x\":\""
                + Jwks.unsigned(key.getW().getAffineX(), 0).substring(4) + "\",\"y\":\""
                + Jwks.unsigned(key.getW().getAffineY(), 32) + "\"}";
        String p384CoordinatesOnP256 = Jwks.ec("mixed", TestKeys.EC_P384.getPublic(), "P-256");

        assertThat(parse(Jwks.set(shortX, p384CoordinatesOnP256, GOOD))).extracting(Jwk::kid).containsExactly("good");
    }

    @Test
    void ecPointOffTheCurveIsSkipped() {
        ECPublicKey key = (ECPublicKey) TestKeys.EC_P256.getPublic();
        String offCurve = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"off\",\"x\":\""
                + Jwks.unsigned(key.getW().getAffineX(), 32) + "\",\"y\":\""
                + Jwks.unsigned(key.getW().getAffineY().add(BigInteger.ONE), 32) + "\"}";

        assertThat(parse(Jwks.set(offCurve, GOOD))).extracting(Jwk::kid).containsExactly("good");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"keys\":", "{}", "{\"keys\":{}}", "[]", "null", "{\"keys\":\"x\"}"})
    void documentThatIsNotAJwksFails(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Jwk> parse(String json) {
        return JwkParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
