package io.gatehouse.security.jwt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemKeysTest {
    private static final String EXPECTED = "expected a PEM public key (BEGIN PUBLIC KEY) holding an RSA or EC key";

    @Test
    void rsaAndEcPublicKeys() {
        for (PublicKey key : new PublicKey[] {TestKeys.RSA.getPublic(), TestKeys.EC_P256.getPublic(),
                TestKeys.EC_P384.getPublic(), TestKeys.EC_P521.getPublic()}) {
            assertThat(PemKeys.parsePublicKey(TestKeys.pem(key))).isEqualTo(key);
        }
    }

    @Test
    void crlfLineEndingsAndSurroundingTextAreFine() {
        String pem = "issued by ops\r\n" + TestKeys.pem(TestKeys.RSA.getPublic()).replace("\n", "\r\n") + "\r\n";

        assertThat(PemKeys.parsePublicKey(pem)).isEqualTo(TestKeys.RSA.getPublic());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "not a pem",
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PUBLIC KEY-----\n",
            "-----END PUBLIC KEY-----\n-----BEGIN PUBLIC KEY-----\n",
    })
    void anythingButAPublicKeyPemIsRefused(String pem) {
        assertThatThrownBy(() -> PemKeys.parsePublicKey(pem))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(EXPECTED);
    }

    @Test
    void privateKeysAndPkcs1AreRefused() {
        String privateKey = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(TestKeys.RSA.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String pkcs1 = TestKeys.pem(TestKeys.RSA.getPublic()).replace("PUBLIC KEY", "RSA PUBLIC KEY");

        assertThatThrownBy(() -> PemKeys.parsePublicKey(privateKey)).hasMessage(EXPECTED);
        assertThatThrownBy(() -> PemKeys.parsePublicKey(pkcs1)).hasMessage(EXPECTED);
    }

    @Test
    void ecKeyOnAnotherCurveIsRefused() throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256k1"));
        ECParameterSpec secp256k1 = parameters.getParameterSpec(ECParameterSpec.class);
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(secp256k1.getGenerator(), secp256k1));

        assertThatThrownBy(() -> PemKeys.parsePublicKey(TestKeys.pem(key)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported curve");
    }
}
