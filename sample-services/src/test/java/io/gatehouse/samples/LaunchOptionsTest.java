package io.gatehouse.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.samples.LaunchOptions.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LaunchOptionsTest {

    @Test
    void defaultsDependOnTheSubcommand() throws Exception {
        assertThat(LaunchOptions.parse("users")).isEqualTo(new LaunchOptions(ServiceKind.USERS, 9001, "users"));
        assertThat(LaunchOptions.parse("inventory")).isEqualTo(new LaunchOptions(ServiceKind.INVENTORY, 9002, "inventory"));
    }

    @Test
    void portAndNameCanBeGiven() throws Exception {
        assertThat(LaunchOptions.parse("users", "--port", "9101", "--name", "users-1"))
                .isEqualTo(new LaunchOptions(ServiceKind.USERS, 9101, "users-1"));
        assertThat(LaunchOptions.parse("inventory", "--name=inv.2", "--port=0"))
                .isEqualTo(new LaunchOptions(ServiceKind.INVENTORY, 0, "inv.2"));
    }

    @Test
    void registrationInEtcd() throws Exception {
        LaunchOptions options = LaunchOptions.parse("users", "--register",
                "etcd://127.0.0.1:2379,etcd-2/gatehouse/pools/users/", "--lease-ttl=10", "--advertise-host", "10.0.0.5");

        assertThat(options.registration()).isEqualTo(new EtcdRegistration(
                java.util.List.of("http://127.0.0.1:2379", "http://etcd-2:2379"), "/gatehouse/pools/users/",
                java.time.Duration.ofSeconds(10), "10.0.0.5"));
        assertThat(options.registration().key(9001)).isEqualTo("/gatehouse/pools/users/10.0.0.5:9001");
        assertThat(LaunchOptions.parse("users").registration()).isNull();
        assertThat(LaunchOptions.parse("users", "--register", "etcd://e/p/").registration().leaseTtl())
                .isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "users --register http://e/p/", "users --register etcd://e/p", "users --register etcd:///p/",
        "users --register etcd://e/p/ --lease-ttl 1", "users --register etcd://e/p/ --lease-ttl x",
        "users --register etcd://e/p/ --advertise-host a/b",
        "", "bogus", "users --port", "users --port abc", "users --port -1", "users --port 65536",
        "users --name", "users --name a/b", "users --name -x", "users --verbose", "users extra"
    })
    void rejectsBadArguments(String commandLine) {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");

        assertThatThrownBy(() -> LaunchOptions.parse(args))
                .isInstanceOfSatisfying(UsageException.class, e -> {
                    assertThat(e.helpRequested()).isFalse();
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void helpIsNotAnError() {
        assertThatThrownBy(() -> LaunchOptions.parse("--help"))
                .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.helpRequested()).isTrue());
        assertThatThrownBy(() -> LaunchOptions.parse("users", "-h"))
                .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.helpRequested()).isTrue());
    }
}
