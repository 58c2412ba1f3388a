package io.gatehouse.security.jwt;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;

/** The NIST curves JWS uses, each tied to the one ES algorithm that may be verified with a key on it. */
enum EcCurve {
    P256("P-256", "secp256r1", JwsAlgorithm.ES256),
    P384("P-384", "secp384r1", JwsAlgorithm.ES384),
    P521("P-521", "secp521r1", JwsAlgorithm.ES512);

    private final String jwkName;
    private final JwsAlgorithm algorithm;
    private final ECParameterSpec spec;

    EcCurve(String jwkName, String jdkName, JwsAlgorithm algorithm) {
        this.jwkName = jwkName;
        this.algorithm = algorithm;
        this.spec = lookUp(jdkName);
    }

    private static ECParameterSpec lookUp(String jdkName) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(jdkName));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks the " + jdkName + " curve", e);
        }
    }

    /** The curve with this JWK {@code crv} name, or {@code null}. */
    static EcCurve byJwkName(String crv) {
        for (EcCurve curve : values()) {
            if (curve.jwkName.equals(crv)) {
                return curve;
            }
        }
        return null;
    }

    /** The curve these parameters describe, or {@code null} for any other curve (e.g. secp256k1). */
    static EcCurve of(ECParameterSpec params) {
        for (EcCurve curve : values()) {
            if (curve.spec.getCurve().equals(params.getCurve()) && curve.spec.getGenerator().equals(params.getGenerator())
                    && curve.spec.getOrder().equals(params.getOrder())) {
                return curve;
            }
        }
        return null;
    }

    JwsAlgorithm algorithm() {
        return algorithm;
    }

    ECParameterSpec spec() {
        return spec;
    }

    /** Bytes in a coordinate, the length RFC 7518 requires for JWK {@code x} and {@code y}. */
    int coordinateBytes() {
        return (spec.getCurve().getField().getFieldSize() + 7) / 8;
    }

    /** Whether {@code point} lies on this curve; the JDK does not check when it builds a public key. */
    boolean contains(ECPoint point) {
        EllipticCurve curve = spec.getCurve();
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }
}
