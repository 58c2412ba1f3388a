package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

class FileConfigSourceTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(50);
    /** Far above the debounce time, far below a test timeout: a change is reported well within it. */
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(10);
    /** How long nothing must be reported to conclude nothing will be: several debounce times. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @TempDir
    Path dir;
    private final AtomicInteger changes = new AtomicInteger();
    private FileConfigSource source;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    private FileConfigSource watching(Path file) {
        source = new FileConfigSource(file, DEBOUNCE);
        source.watch(changes::incrementAndGet);
        return source;
    }

    @Test
    void readsTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "server: {port: 9999}\n");

        FileConfigSource source = new FileConfigSource(file);

        assertThat(source.read()).isEqualTo("server: {port: 9999}\n");
        assertThat(source.location()).isEqualTo(file.toString());
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("nope.yml");

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new FileConfigSource(file).read())
                .satisfies(e -> assertThat(e.errors()).containsExactly(file + ": cannot read config file: no such file"));
    }

    @Test
    void directoryIsReported() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new FileConfigSource(dir).read())
                .withMessageStartingWith(dir + ": cannot read config file: ");
    }

    @Test
    void nonUtf8FileIsReported() throws IOException {
        Path file = Files.write(dir.resolve("latin1.yml"), new byte[] {'a', ':', ' ', (byte) 0xE9});

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new FileConfigSource(file).read())
                .withMessage(file + ": cannot read config file: not valid UTF-8");
    }

    @Test
    void fileOverOneMebibyteIsRefusedBeforeReadingIt() throws IOException {
        Path file = Files.write(dir.resolve("huge.yml"), new byte[1024 * 1024 + 1]);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new FileConfigSource(file).read())
                .withMessage(file + ": 1048577 bytes (expected a config file of at most 1 MiB)");
    }

    @Test
    void unreadableFileIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("secret.yml"), "server: {}\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(file)).as("not running as root, who reads anything").isFalse();

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new FileConfigSource(file).read())
                .withMessage(file + ": cannot read config file: permission denied");
    }

    @Test
    void writeReplacesTheFileKeepingItsPermissionsAndLeavesNoTemporaryFile() throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "old: 1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Object inodeBefore = Files.readAttributes(file, "unix:ino").get("ino");

        new FileConfigSource(file).write("new: 2 ü\n");

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("new: 2 ü\n");
        assertThat(Files.readAttributes(file, "unix:ino").get("ino")).as("a new file renamed over the old one")
                .isNotEqualTo(inodeBefore);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(file);
        }
    }

    @Test
    void writeRefusesASymbolicLink() throws IOException {
        Path target = Files.writeString(dir.resolve("real.yml"), "old: 1\n");
        Path link = Files.createSymbolicLink(dir.resolve("gateway.yml"), target.getFileName());

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new FileConfigSource(link).write("new: 2\n"))
                .withMessageStartingWith(link + ": cannot write config file: it is a symbolic link");
        assertThat(Files.readString(target)).isEqualTo("old: 1\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void writeIntoAMissingDirectoryIsReported() {
        Path file = dir.resolve("missing").resolve("gateway.yml");

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new FileConfigSource(file).write("a: 1\n"))
                .withMessageStartingWith(file + ": cannot write config file: ");
    }

    @Test
    void watchSeesAnEditInPlace() throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "a: 1\n");
        watching(file);

        Files.writeString(file, "a: 2\n");

        await().atMost(SEEN_WITHIN).untilAsserted(() -> assertThat(changes).hasPositiveValue());
    }

    @Test
    void watchSeesAnAtomicRenameOverTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "a: 1\n");
        watching(file);

        Path next = Files.writeString(dir.resolve(".gateway.yml.swp"), "a: 2\n");
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(SEEN_WITHIN).untilAsserted(() -> assertThat(changes).hasPositiveValue());
    }

    @Test
    void watchSeesItsOwnWrite() throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "a: 1\n");
        watching(file).write("a: 2\n");

        await().atMost(SEEN_WITHIN).untilAsserted(() -> assertThat(changes).hasPositiveValue());
    }

    /**
     * A ConfigMap volume: {@code gateway.yml -> ..data/gateway.yml}, {@code ..data -> ..2026_v1}. An update writes a
     * new timestamped directory, points {@code ..data_tmp} at it and renames that over {@code ..data}; the file's
     * own link never changes.
     */
    @Test
    void watchSeesAKubernetesConfigMapSymlinkSwap() throws IOException {
        Path v1 = Files.createDirectory(dir.resolve("..2026_v1"));
        Files.writeString(v1.resolve("gateway.yml"), "a: 1\n");
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("gateway.yml"), Path.of("..data", "gateway.yml"));
        FileConfigSource source = watching(file);

        Path v2 = Files.createDirectory(dir.resolve("..2026_v2"));
        Files.writeString(v2.resolve("gateway.yml"), "a: 2\n");
        Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
        Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(SEEN_WITHIN).untilAsserted(() -> assertThat(changes).hasPositiveValue());
        assertThat(source.read()).isEqualTo("a: 2\n");
    }

    @Test
    void aBurstOfWritesIsReportedOnceAfterItEnds() throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "a: 0\n");
        source = new FileConfigSource(file, Duration.ofSeconds(1));
        source.watch(changes::incrementAndGet);

        for (int i = 1; i <= 5; i++) {
            Files.writeString(file, "a: " + i + "\n"); // each well within the quiet time of the one before
        }

        await().atMost(SEEN_WITHIN).untilAsserted(() -> assertThat(changes).hasValue(1));
    }

    @Test
    void otherFilesInTheDirectoryAreIgnored() throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "a: 1\n");
        watching(file);

        Files.writeString(dir.resolve("other.yml"), "b: 1\n");

        await().during(QUIET).atMost(SEEN_WITHIN).untilAsserted(() -> assertThat(changes).hasValue(0));
    }

    @Test
    void closeStopsWatching() throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "a: 1\n");
        watching(file);
        List<Thread> watchers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("gatehouse-config-watch")).toList();
        assertThat(watchers).isNotEmpty();

        source.close();

        await().atMost(SEEN_WITHIN).until(() -> watchers.stream().noneMatch(Thread::isAlive));
        Files.writeString(file, "a: 2\n");
        assertThat(changes).hasValue(0);
    }
}
