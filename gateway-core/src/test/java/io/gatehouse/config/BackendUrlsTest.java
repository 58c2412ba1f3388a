package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
