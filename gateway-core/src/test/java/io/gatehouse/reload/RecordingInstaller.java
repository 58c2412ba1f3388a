package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatewayConfig;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ConfigInstaller} that keeps what it was given, and can be told to refuse the next one. */
final class RecordingInstaller implements ConfigInstaller {
    private final List<GatewayConfig> installed = new CopyOnWriteArrayList<>();
    private volatile GatewayConfig current;
    private volatile ConfigException refusal;

    RecordingInstaller(GatewayConfig running) {
        this.current = running;
    }

    @Override
    public GatewayConfig current() {
        return current;
    }

    @Override
    public void install(GatewayConfig next) {
        ConfigException refuse = refusal;
        if (refuse != null) {
            refusal = null;
            throw refuse;
        }
        installed.add(next);
        current = next;
    }

    void refuseNext(ConfigException e) {
        refusal = e;
    }

    List<GatewayConfig> installed() {
        return List.copyOf(installed);
    }
}
