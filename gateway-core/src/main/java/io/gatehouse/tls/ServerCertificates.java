package io.gatehouse.tls;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.TlsConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.TlsCertificateMeters;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The TLS listener's certificates, consulted at each handshake: {@link #map} gives the context of the certificate
 * whose DNS names match the client's SNI name (exact, then wildcard), or the default one.
 *
 * <p>The files are watched ({@link CertificateWatcher}) and an entry whose files changed is re-read, checked and
 * published with one volatile write: new handshakes use it at once, connections already open keep the context they
 * were made with. A replacement that cannot be used is refused with a warning and the certificate in use stays.
 * Reloads run on the watch thread only, so the fields below other than {@link #byName} are confined to it after
 * {@link #load}.
 */
public final class ServerCertificates implements Mapping<String, SslContext>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerCertificates.class);
    /** How long the files must stay quiet after a change before they are read. */
    private static final Duration SETTLE = Duration.ofMillis(300);
    /** How often every entry is re-read anyway (and reloaded if its content differs), for missed events. */
    private static final Duration RECHECK = Duration.ofSeconds(60);

    private final List<TlsConfig.Certificate> entries;
    private final int defaultCertificate;
    private final CertificateLoader loader;
    private final List<TlsCertificateMeters> meters;
    private final LoadedCertificate[] inUse;
    /** Per entry, what its files held when last read (digest, or the problem reading them): unchanged is skipped. */
    private final String[] lastSeen;
    private volatile Mapping<String, SslContext> byName;
    private CertificateWatcher watcher;

    private ServerCertificates(TlsConfig tls, CertificateLoader loader, List<TlsCertificateMeters> meters,
                               LoadedCertificate[] inUse) {
        this.entries = tls.certificates();
        this.defaultCertificate = tls.defaultCertificate();
        this.loader = loader;
        this.meters = meters;
        this.inUse = inUse;
        this.lastSeen = Arrays.stream(inUse).map(LoadedCertificate::digest).toArray(String[]::new);
        this.byName = SniMapping.build(List.of(inUse), defaultCertificate);
    }

    /**
     * Reads and checks every certificate and key, makes their contexts, and starts watching their files.
     *
     * @param factory makes an entry's context with the listener's settings, at start and on every reload
     * @param metrics where the expiry gauge and reload counters of each entry are registered
     * @param clock   the time certificates must be valid at (not expired, not valid only later)
     * @throws ConfigException naming each bad entry's configuration path, file and problem
     */
    public static ServerCertificates load(TlsConfig tls, ServerContextFactory factory, GatewayMetrics metrics,
                                          Clock clock) {
        return load(tls, factory, metrics, clock, SETTLE, RECHECK);
    }

    /** {@link #load} with other settle and re-check times (tests). */
    static ServerCertificates load(TlsConfig tls, ServerContextFactory factory, GatewayMetrics metrics, Clock clock,
                                   Duration settle, Duration recheck) {
        CertificateLoader loader = new CertificateLoader(factory, clock);
        List<TlsConfig.Certificate> entries = tls.certificates();
        LoadedCertificate[] loaded = new LoadedCertificate[entries.size()];
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < loaded.length; i++) {
            TlsConfig.Certificate entry = entries.get(i);
            try {
                loaded[i] = loader.load(entry, loader.read(entry));
            } catch (BadKeyMaterial e) {
                errors.add("server.tls.certificates[" + i + "]." + e.key() + ": " + entry.name() + ": " + e.file()
                        + ": " + e.problem());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        List<TlsCertificateMeters> meters = new ArrayList<>();
        for (int i = 0; i < loaded.length; i++) {
            TlsCertificateMeters entryMeters = metrics.tlsCertificate(entries.get(i).name());
            entryMeters.inUse(loaded[i].notAfter());
            meters.add(entryMeters);
        }
        ServerCertificates certificates = new ServerCertificates(tls, loader, meters, loaded);
        List<List<Path>> files = entries.stream().map(e -> List.of(e.cert(), e.key())).toList();
        try {
            certificates.watcher = CertificateWatcher.start(files, settle, recheck, certificates::reload);
        } catch (IOException e) {
            throw new ConfigException("server.tls.certificates: cannot watch the certificate files for changes: " + e);
        }
        return certificates;
    }

    @Override
    public SslContext map(String serverName) {
        return byName.map(serverName);
    }

    /** Stops watching the files; the contexts stay usable for connections still open. */
    @Override
    public void close() {
        watcher.close();
    }

    /** Re-reads the given entries and publishes the ones that changed and can be used (on the watch thread). */
    private void reload(Set<Integer> changed) {
        boolean publish = false;
        for (int i : changed) {
            publish |= reload(i);
        }
        if (publish) {
            byName = SniMapping.build(List.of(inUse), defaultCertificate);
        }
    }

    private boolean reload(int index) {
        TlsConfig.Certificate entry = entries.get(index);
        LoadedCertificate loaded;
        try {
            CertificateLoader.Contents contents;
            try {
                contents = loader.read(entry);
            } catch (BadKeyMaterial unreadable) {
                if (seen(index, unreadable.getMessage())) { // a file missing for a while is reported once
                    refuse(index, entry, unreadable);
                }
                return false;
            }
            if (!seen(index, contents.digest())) {
                return false;
            }
            loaded = loader.load(entry, contents);
        } catch (BadKeyMaterial e) {
            refuse(index, entry, e);
            return false;
        }
        inUse[index] = loaded;
        meters.get(index).inUse(loaded.notAfter());
        meters.get(index).reloaded();
        log.info("TLS certificate {}: reloaded from {} and {}: {}, DNS names {}, expires {}", entry.name(),
                entry.cert(), entry.key(), loaded.material().leaf().getSubjectX500Principal().getName(),
                SniMapping.dnsNames(loaded.material().leaf()), loaded.notAfter());
        return true;
    }

    /** Records what an entry's files hold now (digest or problem); false when they held the same when last read. */
    private boolean seen(int index, String state) {
        if (state.equals(lastSeen[index])) {
            return false;
        }
        lastSeen[index] = state;
        return true;
    }

    private void refuse(int index, TlsConfig.Certificate entry, BadKeyMaterial e) {
        meters.get(index).refused();
        log.warn("TLS certificate {}: refused the new files: {}: {}; keeping the certificate in use (expires {})",
                entry.name(), e.file(), e.problem(), inUse[index].notAfter());
    }
}
