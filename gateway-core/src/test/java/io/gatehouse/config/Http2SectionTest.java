package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class Http2SectionTest {
    private static Http2Config http2(String server) {
        return parse("server:\n" + server.indent(2) + DIRECT_ROUTE).server().http2();
    }

    private static List<String> http2Errors(String server) {
        return errors("server:\n" + server.indent(2) + DIRECT_ROUTE);
    }

    @Test
    void defaults() {
        Http2Config http2 = parse(DIRECT_ROUTE).server().http2();

        assertThat(http2).isEqualTo(new Http2Config(true, 100, 16 * 1024, 64 * 1024, 100 * 64 * 1024, 100, 16));
        assertThat(http2.connectionWindowIncrement()).isEqualTo(100 * 64 * 1024 - 65_535);
    }

    @Test
    void theHeaderListSizeDefaultsToMaxHeaderBytes() {
        assertThat(http2("limits: {max_header_bytes: 32KiB}").maxHeaderListSize()).isEqualTo(32 * 1024);
        assertThat(http2("limits: {max_header_bytes: 32KiB}\nhttp2: {max_header_list_size: 8KiB}")
                .maxHeaderListSize()).isEqualTo(8 * 1024);
    }

    @Test
    void theConnectionWindowDefaultsToEveryStreamsWindow() {
        assertThat(http2("http2: {max_concurrent_streams: 10, initial_stream_window: 1MiB}").initialConnectionWindow())
                .isEqualTo(10 * 1024 * 1024);
        assertThat(http2("http2: {max_concurrent_streams: 10000, initial_stream_window: 1MiB}")
                .initialConnectionWindow()).isEqualTo(Integer.MAX_VALUE); // the protocol's largest window
        assertThat(http2("http2: {initial_stream_window: 16KiB, initial_connection_window: 65535}")
                .connectionWindowIncrement()).isZero();
    }

    @Test
    void everyKeyIsRead() {
        Http2Config http2 = http2("""
                http2:
                  enabled: false
                  max_concurrent_streams: 250
                  max_header_list_size: 4KiB
                  initial_stream_window: 256KiB
                  initial_connection_window: 16MiB
                  max_rst_frames_per_second: 20
                  max_small_continuation_frames: 4
                """);

        assertThat(http2).isEqualTo(new Http2Config(false, 250, 4096, 256 * 1024, 16 * 1024 * 1024, 20, 4));
    }

    @Test
    void errorsNameThePathAndWhatWasExpected() {
        assertThat(http2Errors("http2: {max_streams: 5}")).containsExactly(
                "server.http2.max_streams: unknown key (expected one of: enabled, max_concurrent_streams,"
                        + " max_header_list_size, initial_stream_window, initial_connection_window,"
                        + " max_rst_frames_per_second, max_small_continuation_frames)");
        assertThat(http2Errors("http2: true")).containsExactly(
                "server.http2: true (expected a map with keys: enabled, max_concurrent_streams, max_header_list_size,"
                        + " initial_stream_window, initial_connection_window, max_rst_frames_per_second,"
                        + " max_small_continuation_frames)");
        assertThat(http2Errors("http2: {max_concurrent_streams: 0}"))
                .containsExactly("server.http2.max_concurrent_streams: 0 (expected: 1..10000)");
        assertThat(http2Errors("http2: {initial_stream_window: 3GiB}")).containsExactly(
                "server.http2.initial_stream_window: \"3GiB\" (expected: 1024..2147483647 bytes)");
        assertThat(http2Errors("http2: {initial_stream_window: 1MiB, initial_connection_window: 512KiB}"))
                .containsExactly("server.http2.initial_connection_window: \"512KiB\" (expected at least 1048576"
                        + " bytes: at least 65535, the protocol's initial window, and at least"
                        + " server.http2.initial_stream_window)");
        assertThat(http2Errors("http2: {max_rst_frames_per_second: 0}"))
                .containsExactly("server.http2.max_rst_frames_per_second: 0 (expected: 1..1000000)");
        assertThat(http2Errors("http2: {max_small_continuation_frames: many}")).containsExactly(
                "server.http2.max_small_continuation_frames: \"many\" (expected an integer, 1..10000)");
        assertThat(http2Errors("http2: {enabled: maybe}"))
                .containsExactly("server.http2.enabled: \"maybe\" (expected true or false)");
    }
}
