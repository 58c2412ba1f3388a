package io.gatehouse.security.jwt;

import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureGenerationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

/**
 * PS256/PS384/PS512 (RSASSA-PSS, RFC 7518 section 3.5), which java-jwt lacks: the same hash for the digest and
 * MGF1, a salt as long as the hash. Verification only; the gateway never signs.
 */
final class PssAlgorithm extends Algorithm {
    private final RSAPublicKey key;
    private final PSSParameterSpec parameters;

    /** @param bits 256, 384 or 512 */
    PssAlgorithm(String name, int bits, RSAPublicKey key) {
        super(name, "RSASSA-PSS using SHA-" + bits + " and MGF1 with SHA-" + bits);
        String hash = "SHA-" + bits;
        this.parameters = new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), bits / 8,
                PSSParameterSpec.TRAILER_FIELD_BC);
        this.key = key;
    }

    @Override
    public void verify(DecodedJWT jwt) throws SignatureVerificationException {
        boolean valid;
        try {
            Signature signature = Signature.getInstance("RSASSA-PSS"); // not thread-safe: one per call
            signature.setParameter(parameters);
            signature.initVerify(key);
            signature.update((jwt.getHeader() + "." + jwt.getPayload()).getBytes(StandardCharsets.US_ASCII));
            valid = signature.verify(Base64.getUrlDecoder().decode(jwt.getSignature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SignatureVerificationException(this, e);
        }
        if (!valid) {
            throw new SignatureVerificationException(this);
        }
    }

    @Override
    public byte[] sign(byte[] contentBytes) throws SignatureGenerationException {
        throw new SignatureGenerationException(this, new UnsupportedOperationException("the gateway only verifies"));
    }
}
