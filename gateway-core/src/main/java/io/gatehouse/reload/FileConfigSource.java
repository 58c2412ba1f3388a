package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.util.Objects;

/**
 * The configuration in a local YAML file (UTF-8, at most 1 MiB).
 *
 * <p>{@link #watch} watches the file's directory, not the file, so that every way a file gets replaced is seen: an
 * edit in place, an editor's or {@link #write}'s atomic rename, and a Kubernetes ConfigMap update (which swaps the
 * {@code ..data} symbolic link the file's own link points through). Events are debounced (see {@link DirectoryWatch}).
 *
 * <p>{@link #write} refuses a path that is a symbolic link: replacing the link with a file would silently detach it
 * from what it pointed to (for a ConfigMap, the next update would be lost), and a ConfigMap's volume is read-only
 * anyway. Change such a config where it comes from.
 */
public final class FileConfigSource implements ConfigSource {
    /** Quiet time after the last change before the watcher reports it: editors write in several steps. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(250);

    private final Path file;
    private final Duration debounce;
    private DirectoryWatch watch;

    public FileConfigSource(Path file) {
        this(file, DEFAULT_DEBOUNCE);
    }

    /** @param debounce how long the directory must stay quiet after a change before it is reported */
    public FileConfigSource(Path file, Duration debounce) {
        this.file = Objects.requireNonNull(file, "file");
        this.debounce = Objects.requireNonNull(debounce, "debounce");
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public String read() {
        try {
            long size = Files.size(file);
            if (size > ConfigLoader.MAX_DOCUMENT_SIZE) { // refused before reading it all into memory
                throw new ConfigException(file + ": " + size + " bytes (expected a config file of at most 1 MiB)");
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": cannot read config file: no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": cannot read config file: permission denied");
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": cannot read config file: not valid UTF-8");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage());
        }
    }

    @Override
    public synchronized void watch(Runnable changed) {
        Objects.requireNonNull(changed, "changed");
        if (watch != null) {
            throw new IllegalStateException("already watching " + file);
        }
        Path absolute = file.toAbsolutePath();
        watch = DirectoryWatch.start(absolute.getParent(), absolute.getFileName().toString(), debounce, changed);
    }

    /**
     * Writes {@code yaml} to a temporary file in the same directory, forces it to disk, renames it over the file
     * (atomically: a reader sees the old or the new document, never half of one), then forces the directory entry.
     * The new file keeps the old one's POSIX permissions.
     */
    @Override
    public void write(String yaml) {
        Objects.requireNonNull(yaml, "yaml");
        if (Files.isSymbolicLink(file)) {
            throw new ConfigException(file + ": cannot write config file: it is a symbolic link (expected a regular"
                    + " file; change a linked config, e.g. a Kubernetes ConfigMap, where it comes from)");
        }
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(yaml.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            copyPermissions(absolute, temporary);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
            forceDirectory(directory);
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": cannot write config file: permission denied");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot write config file: " + e.getMessage());
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView target = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (source != null && target != null && Files.exists(from)) {
            target.setPermissions(source.readAttributes().permissions());
        }
    }

    /** Makes the rename itself durable; a platform that cannot open a directory (Windows) skips this. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the file itself is on disk; only the rename's durability across a power loss is not forced
        }
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // a stray temporary file is harmless: its name starts with a dot and ends in .tmp
        }
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
