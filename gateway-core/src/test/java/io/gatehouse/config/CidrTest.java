package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @ParameterizedTest
    @ValueSource(strings = {"10", "10.1", "10.0.0", "256.0.0.1", "999.1.1.1", "1.2.3.4.5", "localhost"})
    void rejectsAnythingButDottedQuadsAndIpv6(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(text))
                .withMessage("\"" + text + "\" (expected: an IP address or CIDR such as 10.0.0.0/8)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.0.0/16", "255.255.255.255", "0.0.0.0/0", "fd00::/8"})
    void acceptsAddressesAndBlocks(String text) throws Exception {
        Cidr cidr = Cidr.parse(text);

        assertThat(cidr).hasToString(text);
        assertThat(cidr.contains(InetAddress.getByName(text.contains(":") ? "fd00::1" : "255.255.255.255")))
                .isEqualTo(!text.startsWith("192"));
    }
}
