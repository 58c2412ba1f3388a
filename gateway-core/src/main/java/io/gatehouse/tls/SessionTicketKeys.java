package io.gatehouse.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The session ticket keys of the OpenSSL engine's contexts, so that clients resume sessions without a full
 * handshake. {@link #rotate} makes a new key to encrypt tickets with and keeps the previous one to decrypt those it
 * issued, so a ticket stays usable for one to two rotation periods. Keys live in memory only: a restart, or another
 * instance, makes the client do a full handshake. The JDK engine manages its own tickets; then this does nothing.
 */
final class SessionTicketKeys {
    /** How often a new key starts encrypting tickets (nginx and Caddy rotate on the order of hours too). */
    static final Duration ROTATION = Duration.ofHours(1);
    private final SecureRandom random = new SecureRandom();
    /** Every context made so far; those no handshake can use any more are dropped with them. */
    private final Set<SslContext> contexts = Collections.newSetFromMap(new WeakHashMap<>());
    private OpenSslSessionTicketKey current = newKey();
    private OpenSslSessionTicketKey previous;

    /** Gives {@code context} the keys in use now, and the ones of every later rotation. */
    synchronized void manage(SslContext context) {
        if (context.sessionContext() instanceof OpenSslSessionContext openSsl) {
            contexts.add(context);
            apply(openSsl);
        }
    }

    synchronized void rotate() {
        previous = current;
        current = newKey();
        for (SslContext context : contexts) {
            apply((OpenSslSessionContext) context.sessionContext());
        }
    }

    private void apply(OpenSslSessionContext session) {
        // The first key encrypts new tickets; every key listed decrypts.
        if (previous == null) {
            session.setTicketKeys(current);
        } else {
            session.setTicketKeys(current, previous);
        }
    }

    private OpenSslSessionTicketKey newKey() {
        return new OpenSslSessionTicketKey(bytes(OpenSslSessionTicketKey.NAME_SIZE),
                bytes(OpenSslSessionTicketKey.HMAC_KEY_SIZE), bytes(OpenSslSessionTicketKey.AES_KEY_SIZE));
    }

    private byte[] bytes(int size) {
        byte[] out = new byte[size];
        random.nextBytes(out);
        return out;
    }
}
