package io.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/users/7", "/a-b_c~d", "/caf\u00e9"})
    void plainPathIsReturnedAsTheSameInstance(String path) {
        assertThat(PathNormalizer.normalize(path)).isSameAs(path);
    }

    @Test
    void pathThatNeedsTheSlowPathButIsAlreadyNormalIsReturnedAsTheSameInstance() {
        String path = "/static/app.min.js";
        assertThat(PathNormalizer.normalize(path)).isSameAs(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "api/users", "*", "%2Fapi", "..", "\\api"})
    void pathNotStartingWithSlashIsRejected(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(InvalidPathException.class)
                .hasMessageContaining("must start with '/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2Fb", "/a%2fb", "/public/..%2fadmin", "/public/..%2Fadmin", "/%2F"})
    void encodedSlashIsRejected(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("encoded slash (%2F) in path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%5Cb", "/a%5cb", "/public/..%5cadmin"})
    void encodedBackslashIsRejected(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("encoded backslash (%5C) in path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\\b", "/public\\..\\admin", "/\\"})
    void literalBackslashIsRejected(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("backslash in path");
    }

    @Test
    void literalNulIsRejected() {
        assertThatThrownBy(() -> PathNormalizer.normalize("/a\u0000b"))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("NUL character in path");
    }

    @Test
    void encodedNulIsRejected() {
        assertThatThrownBy(() -> PathNormalizer.normalize("/a%00.txt"))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("encoded NUL (%00) in path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\tb", "/a\nb", "/a\rb", "/a\u001fb", "/a\u007fb"})
    void literalControlCharacterIsRejected(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("control character in path");
    }

    @ParameterizedTest
    @CsvSource({"/a%0Ab, %0A", "/a%0db, %0D", "/a%1Fb, %1F", "/a%7fb, %7F", "/a%09, %09"})
    void encodedControlCharacterIsRejected(String path, String escape) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("encoded control character (" + escape + ") in path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%", "/a%4", "/a/b%4"})
    void incompletePercentEncodingIsRejected(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("incomplete percent-encoding in path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%zz", "/%4/b", "/a%g1b", "/a%1gb", "/a%%41", "/a%-1b", "/a%\uff11\uff11b"})
    void invalidPercentEncodingIsRejected(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(InvalidPathException.class)
                .hasMessage("invalid percent-encoding in path");
    }

    @ParameterizedTest
    @CsvSource({
            "/%41, /A",
            "/%61%62%63, /abc",
            "/v%31, /v1",
            "/a%2Db%5Fc%7Ed%2Ee, /a-b_c~d.e",
            "/a%2db%5fc%7ed, /a-b_c~d",
    })
    void unreservedCharactersAreDecoded(String raw, String expected) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "/caf%c3%a9, /caf%C3%A9",
            "/caf%C3%A9, /caf%C3%A9",
            "/a%20b, /a%20b",
            "/a%3fb, /a%3Fb",
            "/a%25b, /a%25b",
            "/a%2bb, /a%2Bb",
    })
    void otherEncodingsAreKeptWithUpperCaseHex(String raw, String expected) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "/%252e%252e/admin, /%252e%252e/admin",
            "/public/%252e%252e/admin, /public/%252e%252e/admin",
            "/a%252Fb, /a%252Fb",
            "/%25%32%65, /%252e",
    })
    void doubleEncodingIsDecodedOnlyOnce(String raw, String expected) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "//a, /a",
            "/a//b, /a/b",
            "/a///b////c, /a/b/c",
            "/a//, /a/",
            "//, /",
    })
    void repeatedSlashesAreMerged(String raw, String expected) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "/a/./b/../c, /a/c",
            "/../x, /x",
            "/../../x, /x",
            "/a/b/.., /a/",
            "/a/.., /",
            "/.., /",
            "/., /",
            "/a/., /a/",
            "/a/./, /a/",
            "/a/../, /",
            "/a/b/../../c, /c",
            "/public/../admin, /admin",
            "/a/..., /a/...",
            "/a/.b/c../..d, /a/.b/c../..d",
            "/a//../b, /b",
    })
    void dotSegmentsAreRemoved(String raw, String expected) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "/public/%2e%2e/admin, /admin",
            "/public/%2E%2E/admin, /admin",
            "/public/%2e%2E/admin, /admin",
            "/public/.%2e/admin, /admin",
            "/public/%2E./admin, /admin",
            "/public/%2e/admin, /public/admin",
            "/public/%2e%2e, /",
            "/%2e%2e/%2e%2e/etc/passwd, /etc/passwd",
    })
    void encodedDotSegmentsAreDecodedThenRemoved(String raw, String expected) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }
}
