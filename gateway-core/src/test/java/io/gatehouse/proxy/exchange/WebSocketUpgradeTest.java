package io.gatehouse.proxy.exchange;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketUpgradeTest {
    private static HttpRequest request(HttpMethod method, HttpVersion version, String upgrade, String connection) {
        HttpRequest request = new DefaultHttpRequest(version, method, "/ws");
        if (upgrade != null) {
            request.headers().set("Upgrade", upgrade);
        }
        if (connection != null) {
            request.headers().set("Connection", connection);
        }
        return request;
    }

    @Test
    void anUpgradeIsAGetOverHttp11WithBothTokensInAnyCase() {
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "websocket",
                "Upgrade"))).isTrue();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "WebSocket",
                "keep-alive, upgrade"))).isTrue();
    }

    @Test
    void anythingElseIsAnOrdinaryRequest() {
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.POST, HttpVersion.HTTP_1_1, "websocket",
                "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_0, "websocket",
                "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "h2c",
                "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "websocket",
                "keep-alive"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, null, null)))
                .isFalse();
        HttpRequest withBody = request(HttpMethod.GET, HttpVersion.HTTP_1_1, "websocket", "Upgrade");
        withBody.headers().set("Content-Length", "5");
        assertThat(WebSocketUpgrade.isRequested(withBody)).isFalse();
    }

    @Test
    void onlyA101ToWebsocketIsAnAcceptedUpgrade() {
        HttpResponse accepted = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        accepted.headers().set("Upgrade", "websocket");
        HttpResponse other = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        other.headers().set("Upgrade", "h2c");

        assertThat(WebSocketUpgrade.isAccepted(accepted)).isTrue();
        assertThat(WebSocketUpgrade.isAccepted(other)).isFalse();
        assertThat(WebSocketUpgrade.isAccepted(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)))
                .isFalse();
    }
}
