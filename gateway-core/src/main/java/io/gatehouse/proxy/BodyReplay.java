package io.gatehouse.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps the request body parts sent to the current attempt, so that a retry can send the same bytes again. The
 * parts are retained duplicates of what went upstream, bounded by a byte limit; once the body outgrows it they are
 * let go and the request can no longer be replayed (a retry must never send a partial or empty body).
 */
final class BodyReplay {
    private final long limit;
    private List<HttpContent> parts;
    private long bytes;
    private boolean sentAny;
    private boolean outgrown;
    private boolean complete;

    /** @param limit bytes to keep at most; negative to keep nothing */
    BodyReplay(long limit, long declaredLength) {
        this.limit = limit;
        this.outgrown = limit < 0 || declaredLength > limit;
    }

    /** Called with each part just before it goes upstream. */
    void sent(HttpContent part) {
        sentAny = true;
        if (outgrown) {
            return;
        }
        bytes += part.content().readableBytes();
        if (bytes > limit) {
            outgrown = true;
            release();
            return;
        }
        complete = part instanceof LastHttpContent;
        if (complete && isEmptyEnd(part)) {
            return; // the usual end of a GET: replayed as EMPTY_LAST_CONTENT, nothing to keep
        }
        if (parts == null) {
            parts = new ArrayList<>(2);
        }
        parts.add(part.retainedDuplicate());
    }

    /** Whether every part sent so far can be sent again. */
    boolean canReplay() {
        return !sentAny || !outgrown;
    }

    /** Whether the kept parts end with the body's last part. */
    boolean isComplete() {
        return complete;
    }

    /** Hands a fresh duplicate of every kept part to {@code writer}, in order. */
    void replay(Consumer<HttpContent> writer) {
        if (parts != null) {
            for (HttpContent part : parts) {
                writer.accept(part.retainedDuplicate());
            }
        }
        if (complete && (parts == null || !(parts.get(parts.size() - 1) instanceof LastHttpContent))) {
            writer.accept(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    private static boolean isEmptyEnd(HttpContent last) {
        return !last.content().isReadable() && ((LastHttpContent) last).trailingHeaders().isEmpty();
    }

    /** Lets every kept part go; nothing can be replayed afterwards. */
    void release() {
        if (parts != null) {
            parts.forEach(HttpContent::release);
            parts = null;
        }
        outgrown = true;
        complete = false;
    }
}
