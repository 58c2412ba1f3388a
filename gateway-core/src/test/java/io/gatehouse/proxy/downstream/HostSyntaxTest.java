package io.gatehouse.proxy.downstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The edges of RFC 3986 host[:port] that the integration tests do not each cross. */
class HostSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a:0", "a:65535", "a:00080", "a:", "%41%62.example", "1.2.3.4", "[::]", "[::1]:1",
            "[1:2:3:4:5:6:7:8]", "[::ffff:1.2.3.4]:443", "[::1]:", "!$&'()*+;=.example", "UPPER.example"})
    void accepts(String value) {
        assertThat(HostSyntax.isValidAuthority(value)).as(value).isTrue();
        assertThat(HostSyntax.isValidHostHeader(value)).as(value).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":1", "a:65536", "a:100000", "a:-1", "a:1:2", "a%4", "a%", "a%g0", "[]", "[::1",
            "::1", "[::1]a", "[1:2:3:4:5:6:7:8:9]", "[::1%25lo]", "a,b", "a b", "a\tb", "a/b", "a?b", "a#b",
            "u@a", "a\"b", "<a>", "\u00e9.example", "a\u0000b"})
    void refuses(String value) {
        assertThat(HostSyntax.isValidAuthority(value)).as(value).isFalse();
    }

    @Test
    void anEmptyHostHeaderIsAllowedButNotAnEmptyAuthority() {
        assertThat(HostSyntax.isValidHostHeader("")).isTrue();
        assertThat(HostSyntax.isValidAuthority("")).isFalse();
    }
}
