package io.gatehouse.testing;

import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MockWebServer started before each test and closed after it. Register with {@code @RegisterExtension} on an
 * instance field, so each test gets its own.
 */
public final class StartedMockWebServer implements BeforeEachCallback, AfterEachCallback {
    private final MockWebServer server = new MockWebServer();

    public MockWebServer server() {
        return server;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
    }
}
