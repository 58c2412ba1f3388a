package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** What a MockWebServer backend received, asserted the same way by every integration test. */
public final class MockBackends {
    private MockBackends() {}

    /** The next request the backend received, failing the test when none arrives soon. */
    public static RecordedRequest received(MockWebServer backend) throws InterruptedException {
        RecordedRequest recorded = backend.takeRequest(2, TimeUnit.SECONDS);
        assertThat(recorded).as("request at the backend").isNotNull();
        return recorded;
    }

    /** Asserts the backend got no request at all (waits briefly, since a proxied request would be in flight). */
    public static void assertBackendUntouched(MockWebServer backend) throws InterruptedException {
        assertThat(backend.takeRequest(200, TimeUnit.MILLISECONDS)).as("request at the backend").isNull();
        assertThat(backend.getRequestCount()).as("requests at the backend").isZero();
    }
}
