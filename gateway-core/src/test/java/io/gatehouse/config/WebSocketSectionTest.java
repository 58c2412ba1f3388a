package io.gatehouse.config;

import static io.gatehouse.config.Configs.USERS_POOL;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketSectionTest {
    private static WebSocketConfig websocket(String value) {
        return parse(USERS_POOL + "routes:\n  - {id: ws, match: {path: /ws}, pool: users, websocket: " + value + "}\n")
                .routes().get(0).websocket();
    }

    private static List<String> problems(String value) {
        return errors(USERS_POOL + "routes:\n  - {id: ws, match: {path: /ws}, pool: users, websocket: " + value
                + "}\n");
    }

    @Test
    void offUnlessSet() {
        assertThat(parse(USERS_POOL + "routes:\n  - {id: a, match: {path: /a}, pool: users}\n").routes().get(0)
                .websocket()).isNull();
        assertThat(websocket("false")).isNull();
    }

    @Test
    void trueTakesTheDefaults() {
        assertThat(websocket("true")).isEqualTo(new WebSocketConfig(Duration.ofMinutes(5), Duration.ofHours(24)));
        assertThat(websocket("\"true\"")).isEqualTo(WebSocketConfig.DEFAULTS);
    }

    @Test
    void aMapTurnsItOnWithItsLimits() {
        assertThat(websocket("{idle_timeout: 30s, max_lifetime: 2h}"))
                .isEqualTo(new WebSocketConfig(Duration.ofSeconds(30), Duration.ofHours(2)));
        assertThat(websocket("{idle_timeout: 90s}"))
                .isEqualTo(new WebSocketConfig(Duration.ofSeconds(90), WebSocketConfig.DEFAULT_MAX_LIFETIME));
        assertThat(websocket("{}")).isEqualTo(WebSocketConfig.DEFAULTS);
    }

    @Test
    void badValuesNameTheirPath() {
        assertThat(problems("yes")).containsExactly("routes[0].websocket: \"yes\" (expected true, false, or a map"
                + " with keys: idle_timeout, max_lifetime)");
        assertThat(problems("{idle: 5s}")).containsExactly("routes[0].websocket.idle: unknown key (expected one of:"
                + " idle_timeout, max_lifetime)");
        assertThat(problems("{idle_timeout: 0s}")).containsExactly("routes[0].websocket.idle_timeout: \"0s\""
                + " (expected a duration greater than 0)");
        assertThat(problems("{max_lifetime: soon}")).hasSize(1).first().asString()
                .startsWith("routes[0].websocket.max_lifetime: \"soon\"");
    }

    @Test
    void anHttp2PoolCannotCarryWebSockets() {
        assertThat(errors("""
                pools:
                  grpc: {protocol: h2c, backends: ["http://a:1"]}
                routes:
                  - {id: ws, match: {path: /ws}, pool: grpc, websocket: true}
                  - {id: plain, match: {path: /p}, pool: grpc, websocket: false}
                """)).containsExactly("routes[0].websocket: needs a pool that speaks HTTP/1.1 to its backends (pool"
                + " grpc has protocol h2c, and HTTP/2 has no 101 to answer an upgrade)");
    }
}
