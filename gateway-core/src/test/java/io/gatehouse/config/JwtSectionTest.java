package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auth.jwt}. */
class JwtSectionTest {
    private static final String JWT_KEYS = "issuer, audience, algorithms, jwks_url, public_key_file, secret, leeway,"
            + " roles_claim, forward_claims, jwks_refresh, jwks_min_refresh, require_exp";
    private static final String ALGORITHMS_EXPECTED = "expected a list of: HS256, HS384, HS512, RS256, RS384, RS512,"
            + " PS256, PS384, PS512, ES256, ES384, ES512";
    private static final String SECRET_32 = "0123456789abcdef0123456789abcdef";
    private static final String SECRET_40 = "0123456789abcdef0123456789abcdef01234567";
    private static final String JWKS = "jwks_url: https://idp.example.com/certs";
    private static final String URL_EXPECTED = "(expected an http or https URL)";

    @TempDir
    Path dir;

    private static String yaml(String jwt) {
        return "auth:\n  default: [jwt]\n  jwt:\n" + jwt.indent(4) + DIRECT_ROUTE;
    }

    private static JwtConfig jwt(String section) {
        return parse(yaml(section)).auth().jwt();
    }

    private static List<String> jwtErrors(String section) {
        return errors(yaml(section));
    }

    private static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    @Test
    void fullSection() {
        JwtConfig jwt = jwt("""
                issuer: https://idp.example.com/realms/demo
                audience: gatehouse
                algorithms: [RS256, ES256]
                jwks_url: https://idp.example.com/realms/demo/certs
                leeway: 10s
                roles_claim: realm_access.roles
                forward_claims: {sub: X-User-Id, email: X-User-Email, tenant: X-Tenant}
                jwks_refresh: 10m
                jwks_min_refresh: 0s
                require_exp: false
                """);

        assertThat(jwt.issuer()).isEqualTo("https://idp.example.com/realms/demo");
        assertThat(jwt.audiences()).containsExactly("gatehouse");
        assertThat(jwt.algorithms()).containsExactly("RS256", "ES256");
        assertThat(jwt.jwksUrl()).isEqualTo(URI.create("https://idp.example.com/realms/demo/certs"));
        assertThat(jwt.publicKey()).isNull();
        assertThat(jwt.secret()).isNull();
        assertThat(jwt.leeway()).isEqualTo(Duration.ofSeconds(10));
        assertThat(jwt.rolesClaim()).isEqualTo("realm_access.roles");
        assertThat(jwt.forwardClaims()).containsExactly(Map.entry("sub", "X-User-Id"),
                Map.entry("email", "X-User-Email"), Map.entry("tenant", "X-Tenant"));
        assertThat(jwt.jwksRefresh()).isEqualTo(Duration.ofMinutes(10));
        assertThat(jwt.jwksMinRefresh()).isEqualTo(Duration.ZERO);
        assertThat(jwt.requireExpiration()).isFalse();
    }

    @Test
    void defaultsWithASecret() {
        JwtConfig jwt = jwt("secret: " + SECRET_32);

        assertThat(jwt.algorithms()).containsExactly("HS256");
        assertThat(jwt.secret()).isEqualTo(SECRET_32.getBytes(StandardCharsets.UTF_8));
        assertThat(jwt.jwksUrl()).isNull();
        assertThat(jwt.publicKey()).isNull();
        assertThat(jwt.issuer()).isNull();
        assertThat(jwt.audiences()).isEmpty();
        assertThat(jwt.rolesClaim()).isNull();
        assertThat(jwt.forwardClaims()).isEmpty();
        assertThat(jwt.leeway()).isEqualTo(Duration.ofSeconds(30));
        assertThat(jwt.jwksRefresh()).isEqualTo(Duration.ofMinutes(5));
        assertThat(jwt.jwksMinRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(jwt.requireExpiration()).isTrue();
        assertThat(jwt.toString()).doesNotContain(SECRET_32);
    }

    @Test
    void defaultAlgorithmsFollowTheKeySources() {
        assertThat(jwt(JWKS).algorithms()).containsExactly("RS256");
        assertThat(jwt(JWKS + "\nsecret: " + SECRET_32).algorithms()).containsExactly("HS256", "RS256");
        assertThat(jwt(JWKS + "\nsecret: " + "s".repeat(48) + "\nalgorithms: [HS256, HS384, PS512, ES384]").algorithms())
                .containsExactly("HS256", "HS384", "PS512", "ES384");
    }

    @Test
    void audienceAsAStringOrAList() {
        assertThat(jwt(JWKS + "\naudience: gatehouse").audiences()).containsExactly("gatehouse");
        assertThat(jwt(JWKS + "\naudience: [gatehouse, account]").audiences()).containsExactly("gatehouse", "account");
        assertThat(jwtErrors(JWKS + "\naudience: {a: b}")).containsExactly("auth.jwt.audience: a map (expected a string)");
    }

    @Test
    void noKeySource() {
        assertThat(jwtErrors("issuer: https://idp.example.com")).containsExactly(
                "auth.jwt: no signing key (expected at least one of: jwks_url, public_key_file, secret)");
        assertThat(jwtErrors("{}")).containsExactly(
                "auth.jwt: no signing key (expected at least one of: jwks_url, public_key_file, secret)");
    }

    @Test
    void noneAndUnknownAlgorithms() {
        assertThat(jwtErrors(JWKS + "\nalgorithms: [none, RS256, rs256, HS1]")).containsExactly(
                "auth.jwt.algorithms[0]: \"none\" (" + ALGORITHMS_EXPECTED + " (\"none\" is never accepted))",
                "auth.jwt.algorithms[2]: \"rs256\" (" + ALGORITHMS_EXPECTED + " (\"none\" is never accepted))",
                "auth.jwt.algorithms[3]: \"HS1\" (" + ALGORITHMS_EXPECTED + " (\"none\" is never accepted))");
        assertThat(jwtErrors(JWKS + "\nalgorithms: []")).containsExactly(
                "auth.jwt.algorithms: empty list (" + ALGORITHMS_EXPECTED + ")");
        assertThat(jwtErrors(JWKS + "\nalgorithms: RS256")).containsExactly(
                "auth.jwt.algorithms: \"RS256\" (" + ALGORITHMS_EXPECTED + ")");
    }

    @Test
    void algorithmsNeedTheirKeySource() {
        assertThat(jwtErrors(JWKS + "\nalgorithms: [RS256, HS256]")).containsExactly(
                "auth.jwt.algorithms[1]: \"HS256\" (expected a secret for HMAC algorithms: set auth.jwt.secret)");
        assertThat(jwtErrors("secret: " + SECRET_32 + "\nalgorithms: [HS256, RS256, ES256]")).containsExactly(
                "auth.jwt.algorithms[1]: \"RS256\" (expected jwks_url or public_key_file for RS256)",
                "auth.jwt.algorithms[2]: \"ES256\" (expected jwks_url or public_key_file for ES256)");
    }

    @Test
    void shortSecretIsRejectedWithoutEchoingIt() {
        String secret = "a-31-byte-secret-0123456789abcd"; // 31 bytes
        List<String> errors = jwtErrors("secret: " + secret);

        assertThat(errors).containsExactly(
                "auth.jwt.secret: too short (expected at least 32 bytes for HS256, 48 for HS384, 64 for HS512)");
        assertThat(String.join("\n", errors)).doesNotContain(secret);
        // The algorithm list does not pile on a second error about the same secret.
        assertThat(jwtErrors("secret: " + secret + "\nalgorithms: [HS256]")).containsExactly(
                "auth.jwt.secret: too short (expected at least 32 bytes for HS256, 48 for HS384, 64 for HS512)");
    }

    @Test
    void shortSecretFromTheEnvironmentIsNotEchoed() {
        String secret = "env-secret-xyz";
        List<String> errors = Configs.errors(yaml("secret: ${JWT_SECRET}"), Map.of("JWT_SECRET", secret));

        assertThat(errors).containsExactly(
                "auth.jwt.secret: too short (expected at least 32 bytes for HS256, 48 for HS384, 64 for HS512)");
        assertThat(String.join("\n", errors)).doesNotContain(secret);
    }

    @Test
    void secretLengthPerHmacAlgorithm() {
        List<String> errors = jwtErrors("secret: " + SECRET_40 + "\nalgorithms: [HS256, HS384, HS512]");

        assertThat(errors).containsExactly(
                "auth.jwt.algorithms[1]: \"HS384\" (expected a secret of at least 48 bytes for HS384)",
                "auth.jwt.algorithms[2]: \"HS512\" (expected a secret of at least 64 bytes for HS512)");
        assertThat(String.join("\n", errors)).doesNotContain(SECRET_40);
        assertThat(jwt("secret: \"" + "s".repeat(64) + "\"\nalgorithms: [HS512]").algorithms())
                .containsExactly("HS512");
    }

    @Test
    void jwksUrl() {
        assertThat(jwt("jwks_url: http://127.0.0.1:8080/certs").jwksUrl())
                .isEqualTo(URI.create("http://127.0.0.1:8080/certs"));
        assertThat(jwtErrors("jwks_url: ftp://idp.example.com/certs")).containsExactly(
                "auth.jwt.jwks_url: \"ftp://idp.example.com/certs\" " + URL_EXPECTED);
        assertThat(jwtErrors("jwks_url: not a url")).containsExactly(
                "auth.jwt.jwks_url: \"not a url\" " + URL_EXPECTED);
        assertThat(jwtErrors("jwks_url: idp.example.com/certs")).containsExactly(
                "auth.jwt.jwks_url: \"idp.example.com/certs\" " + URL_EXPECTED);
        assertThat(jwtErrors("jwks_url: \"https:///certs\"")).containsExactly(
                "auth.jwt.jwks_url: \"https:///certs\" " + URL_EXPECTED);
        assertThat(jwtErrors("jwks_url: [https://idp.example.com/certs]")).containsExactly(
                "auth.jwt.jwks_url: a list " + URL_EXPECTED);
    }

    @Test
    void rsaPublicKeyFile() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PublicKey expected = generator.generateKeyPair().getPublic();
        Path file = write("rsa.pem", pem(expected));

        JwtConfig jwt = jwt("public_key_file: " + file);

        assertThat(jwt.publicKey()).isEqualTo(expected);
        assertThat(jwt.publicKey().getEncoded()).isEqualTo(expected.getEncoded());
        assertThat(jwt.algorithms()).containsExactly("RS256");
    }

    @Test
    void ecPublicKeyFile() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PublicKey expected = generator.generateKeyPair().getPublic();
        Path file = write("ec.pem", pem(expected));

        JwtConfig jwt = jwt("public_key_file: " + file + "\nalgorithms: [ES256]");

        assertThat(jwt.publicKey().getEncoded()).isEqualTo(expected.getEncoded());
        assertThat(jwt.algorithms()).containsExactly("ES256");
    }

    @Test
    void publicKeyFileThatIsNotAPublicKey() throws Exception {
        Path file = write("cert.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

        assertThat(jwtErrors("public_key_file: " + file)).containsExactly("auth.jwt.public_key_file: \"" + file
                + "\" (expected a PEM public key (BEGIN PUBLIC KEY) holding an RSA or EC key)");
    }

    @Test
    void unreadablePublicKeyFile() {
        Path missing = dir.resolve("missing.pem");

        assertThat(jwtErrors("public_key_file: " + missing)).singleElement().asString()
                .startsWith("auth.jwt.public_key_file: \"" + missing + "\" (");
    }

    @Test
    void unreadablePublicKeyFileSaysWhy() {
        Path missing = dir.resolve("missing.pem");

        assertThat(jwtErrors("public_key_file: " + missing)).singleElement().asString()
                .startsWith("auth.jwt.public_key_file: \"" + missing + "\" (expected")
                .contains("no such file")
                .doesNotEndWith(": " + missing + ")");
    }

    @Test
    void badKeySourceDoesNotAlsoBlameTheAlgorithms() {
        assertThat(jwtErrors("jwks_url: ftp://idp.example.com/certs\nalgorithms: [RS256]")).containsExactly(
                "auth.jwt.jwks_url: \"ftp://idp.example.com/certs\" " + URL_EXPECTED);
    }

    @Test
    void forwardClaims() {
        assertThat(jwtErrors(JWKS + "\nforward_claims: {sub: X User Id, email: X-User-Email, org: \"\"}"))
                .containsExactly(
                        "auth.jwt.forward_claims.sub: \"X User Id\" (expected a header name such as X-User-Id)",
                        "auth.jwt.forward_claims.org: \"\" (expected a header name such as X-User-Id)");
        assertThat(jwtErrors(JWKS + "\nforward_claims: [sub]")).containsExactly(
                "auth.jwt.forward_claims: a list (expected a map of claim name to request header, such as"
                        + " {sub: X-User-Id})");
        assertThat(jwtErrors(JWKS + "\nforward_claims: {sub: , email: X-User}")).containsExactly(
                "auth.jwt.forward_claims.sub: null (expected a header name such as X-User-Id)");
        assertThat(jwtErrors(JWKS + "\nforward_claims: {sub: X-User, email: x-user}")).containsExactly(
                "auth.jwt.forward_claims.email: \"x-user\" (expected a header no other claim is sent in)");
    }

    @Test
    void eachAlgorithmOnce() {
        assertThat(jwtErrors(JWKS + "\nalgorithms: [RS256, ES256, RS256]")).containsExactly(
                "auth.jwt.algorithms[2]: \"RS256\" (expected each algorithm once)");
    }

    @Test
    void durationsAndFlags() {
        assertThat(jwt(JWKS + "\nleeway: 0s").leeway()).isEqualTo(Duration.ZERO);
        assertThat(jwtErrors(JWKS + "\nleeway: 30\njwks_refresh: 0s\njwks_min_refresh: soon\nrequire_exp: no"))
                .containsExactly(
                        "auth.jwt.leeway: 30 (expected a duration such as 250ms, 2s, 1m; a plain number is ambiguous,"
                                + " add a unit as in 30s)",
                        "auth.jwt.jwks_refresh: \"0s\" (expected a duration greater than 0)",
                        "auth.jwt.jwks_min_refresh: \"soon\" (expected a duration such as 250ms, 2s, 1m)",
                        "auth.jwt.require_exp: \"no\" (expected true or false)");
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        assertThat(jwtErrors(JWKS + "\naudiences: [a]")).containsExactly(
                "auth.jwt.audiences: unknown key (expected one of: " + JWT_KEYS + ")");
        assertThat(errors("auth:\n  default: []\n  jwt: [RS256]\n" + DIRECT_ROUTE)).containsExactly(
                "auth.jwt: a list (expected a map with keys: " + JWT_KEYS + ")");
    }
}
