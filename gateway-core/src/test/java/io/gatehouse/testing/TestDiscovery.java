package io.gatehouse.testing;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.DiscoveryConfig;
import io.gatehouse.discovery.Discovery;
import io.gatehouse.discovery.DiscoveryContext;
import io.gatehouse.discovery.DiscoveryFactory;
import io.gatehouse.discovery.MembershipListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Discoveries whose members the test reports by hand ({@link #report}), for a gateway started with
 * {@code StartOptions.discoveries(testDiscovery)}. Counts the discoveries built and closed.
 */
public final class TestDiscovery implements DiscoveryFactory {
    private final List<Running> running = new CopyOnWriteArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();

    /** One discovery per pool, reporting nothing until the test says. */
    @Override
    public Discovery create(DiscoveryConfig config, DiscoveryContext context) {
        Running discovery = new Running(config);
        running.add(discovery);
        return discovery;
    }

    /** Reports {@code urls} (e.g. {@code http://127.0.0.1:9001}) as the members of every started discovery. */
    public void report(String... urls) {
        List<BackendConfig> members = java.util.Arrays.stream(urls).map(TestDiscovery::member).toList();
        running.forEach(discovery -> discovery.report(members));
    }

    /** Discoveries built so far, and closed so far. */
    public int created() {
        return running.size() + closed.get();
    }

    public int closed() {
        return closed.get();
    }

    private static BackendConfig member(String url) {
        String hostPort = url.substring("http://".length());
        int colon = hostPort.lastIndexOf(':');
        return new BackendConfig(url, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), 1);
    }

    private final class Running implements Discovery {
        private final DiscoveryConfig config;
        private volatile MembershipListener listener;

        Running(DiscoveryConfig config) {
            this.config = config;
        }

        @Override
        public void start(MembershipListener listener) {
            this.listener = listener;
        }

        void report(List<BackendConfig> members) {
            MembershipListener current = listener;
            if (current != null) {
                current.membersChanged(members);
            }
        }

        @Override
        public void close() {
            listener = null;
            running.remove(this);
            closed.incrementAndGet();
        }

        @Override
        public String toString() {
            return "TestDiscovery" + config;
        }
    }
}
