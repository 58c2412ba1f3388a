package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.gatehouse.upstream.Backend;
import org.junit.jupiter.api.Test;

class BackendUrlsTest {
    @Test
    void parsesHostPortAndKeepsTheUrlAsWritten() {
        assertThat(BackendUrls.parse("HTTP://Api.Internal:8080/", 7))
                .isEqualTo(new BackendConfig("HTTP://Api.Internal:8080/", "api.internal", 8080, 7));
        assertThat(BackendUrls.parse("http://[::1]", 1)).isEqualTo(new BackendConfig("http://[::1]", "::1", 80, 1));
        assertThat(BackendUrls.parse("http://my_service:65535", 1).port()).isEqualTo(65535);
    }

    @Test
    void httpsDefaultsTo443AndIsMarkedTls() {
        assertThat(BackendUrls.parse("HTTPS://Api.Internal", 1))
                .isEqualTo(new BackendConfig("HTTPS://Api.Internal", "api.internal", 443, 1, true));
        assertThat(BackendUrls.parse("https://[::1]:8443/", 2))
                .isEqualTo(new BackendConfig("https://[::1]:8443/", "::1", 8443, 2, true));
        assertThat(BackendUrls.parse("http://a", 1).tls()).isFalse();
        assertThat(new Backend(BackendUrls.parse("https://a", 1)).hostHeader()).as("default port left out")
                .isEqualTo("a");
        assertThat(new Backend(BackendUrls.parse("https://a:80", 1)).hostHeader()).isEqualTo("a:80");
        assertThatIllegalArgumentException().isThrownBy(() -> BackendUrls.parse("https://a/api", 1))
                .withMessage("expected no path in a backend URL, only http(s)://host[:port]; use the route's "
                        + "rewrite to change paths");
    }

    @Test
    void addressBracketsIpv6() {
        assertThat(BackendUrls.parse("http://[2001:DB8::1]:9000", 1).address()).isEqualTo("[2001:db8::1]:9000");
        assertThat(BackendUrls.parse("http://10.0.0.1", 1).address()).isEqualTo("10.0.0.1:80");
    }

    @Test
    void rejectsMissingHostAndBadPorts() {
        assertThatIllegalArgumentException().isThrownBy(() -> BackendUrls.parse("http://", 1))
                .withMessage("expected a host name or IP address such as http://127.0.0.1:9001");
        assertThatIllegalArgumentException().isThrownBy(() -> BackendUrls.parse("http://:80", 1))
                .withMessage("expected a host name or IP address such as http://127.0.0.1:9001");
        assertThatIllegalArgumentException().isThrownBy(() -> BackendUrls.parse("http://a:", 1))
                .withMessage("expected a port in 1..65535");
        assertThatIllegalArgumentException().isThrownBy(() -> BackendUrls.parse("http://a:123456", 1))
                .withMessage("expected a port in 1..65535");
    }
}
