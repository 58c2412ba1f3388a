package io.gatehouse.proxy.downstream;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The backlog's hand-off, and what becomes of a dispatch that throws. */
class SerialRequestHandlerTest {

    /** Takes messages only when told to; "bad" makes its dispatch throw. */
    private static final class Recording extends SerialRequestHandler {
        final List<Object> dispatched = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        boolean wanting;

        @Override
        boolean wantsMessage() {
            return wanting;
        }

        @Override
        void dispatch(Object msg) {
            if ("bad".equals(msg)) {
                throw new IllegalStateException("dispatch bug");
            }
            dispatched.add(msg);
        }

        @Override
        void readBatchComplete() {
        }

        @Override
        void failed(Throwable cause) {
            failures.add(cause);
        }
    }

    @Test
    void aDispatchThatThrowsOutsideAReadIsReportedAndTheBacklogMovesOn() {
        Recording handler = new Recording();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.writeInbound("bad", "next");
        assertThat(handler.dispatched).as("held in the backlog while not wanted").isEmpty();

        handler.wanting = true;
        // As from a write listener or a task: an exception escaping here would be logged and dropped by Netty.
        assertThatCode(handler::resume).doesNotThrowAnyException();

        assertThat(handler.failures).singleElement().extracting(Throwable::getMessage).isEqualTo("dispatch bug");
        assertThat(handler.dispatched).containsExactly("next");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anExceptionFromThePipelineIsReportedToo() {
        Recording handler = new Recording();
        EmbeddedChannel channel = new EmbeddedChannel(handler);

        channel.pipeline().fireExceptionCaught(new IllegalArgumentException("codec"));

        assertThat(handler.failures).singleElement().extracting(Throwable::getMessage).isEqualTo("codec");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
