package io.gatehouse.security;

import io.gatehouse.security.jwt.JwtOutcome;
import io.github.bucket4j.ConsumptionProbe;

import java.util.concurrent.CompletableFuture;

/**
 * One request's way through its route's admission chain: the step to run next (so a request that waited for
 * signing keys or a Redis bucket resumes at that step, never from the top), that step's own position within it,
 * and what earlier steps found out for later ones. One per connection, reset for each request; touched only on
 * the connection's event loop.
 */
public final class AdmissionProgress {
    private int step;
    private int position;
    private CompletableFuture<ConsumptionProbe> pending;
    private boolean keysRefreshed;
    private Consumer consumer;
    private JwtOutcome.Verified token;
    private RateLimitStatus status;
    /** The connection's verified client certificate: kept from request to request, unlike the rest. */
    private ClientCertificate clientCertificate;

    /** A new request. */
    public void reset() {
        step = 0;
        position = 0;
        pending = null;
        keysRefreshed = false;
        consumer = null;
        token = null;
        status = null;
    }

    /** The verified certificate the client presented in the TLS handshake of this connection, or null. */
    public void clientCertificate(ClientCertificate certificate) {
        this.clientCertificate = certificate;
    }

    ClientCertificate clientCertificate() {
        return clientCertificate;
    }

    /** The step to run next. */
    int step() {
        return step;
    }

    /** The current step let the request pass: the next one starts from its beginning. */
    void passed(int nextStep) {
        step = nextStep;
        position = 0;
        pending = null;
    }

    /** Where the current step stands within itself, e.g. the next limiter of a rate-limit group. */
    int position() {
        return position;
    }

    void position(int position) {
        this.position = position;
    }

    /** The current step waits for {@code answer} to the check at its current position. */
    void waitFor(CompletableFuture<ConsumptionProbe> answer) {
        pending = answer;
    }

    /** The answer the current step waited for, once; or null. */
    CompletableFuture<ConsumptionProbe> takePending() {
        CompletableFuture<ConsumptionProbe> answer = pending;
        pending = null;
        return answer;
    }

    /** The signing keys were fetched once for this request: a key still missing now is refused. */
    void keysRefreshed() {
        keysRefreshed = true;
    }

    boolean areKeysRefreshed() {
        return keysRefreshed;
    }

    /** The API key's consumer, or null. */
    Consumer consumer() {
        return consumer;
    }

    void consumer(Consumer consumer) {
        this.consumer = consumer;
    }

    /** The verified bearer token, or null. */
    JwtOutcome.Verified token() {
        return token;
    }

    void token(JwtOutcome.Verified token) {
        this.token = token;
    }

    /** Who rate limits keyed by consumer count against: the consumer id, else the token's subject, else null. */
    String consumerName() {
        return consumer != null ? consumer.id() : token != null ? token.subject() : null;
    }

    /** The tightest rate-limit position so far, or null when no policy applied. */
    RateLimitStatus status() {
        return status;
    }

    void tighten(RateLimitStatus candidate) {
        if (status == null || candidate.remaining() < status.remaining()) {
            status = candidate;
        }
    }
}
