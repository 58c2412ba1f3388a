package io.gatehouse.server;

import io.gatehouse.server.GatehouseProcesses.Child;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class-data-sharing archive of the packaged jar: {@code --train} writes one without any backend of the user's
 * (loopback only), a later start maps it, and an archive that does not fit only costs speed, never the start.
 */
class ClassDataSharingIT {
    private static final String DEMO_CONFIG = Path.of("..", "config.yml").toString();

    @TempDir
    Path dir;

    private GatehouseProcesses gatehouse;

    @BeforeAll
    static void jarIsBuilt() {
        GatehouseProcesses.assertJarIsBuilt();
    }

    @BeforeEach
    void setUp() {
        gatehouse = new GatehouseProcesses(dir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        gatehouse.close();
    }

    @Test
    void aTrainingRunWritesAnArchiveThatAStartMaps() throws Exception {
        Path archive = dir.resolve("gatehouse.jsa");
        Child training = gatehouse.run(List.of("-XX:ArchiveClassesAtExit=" + archive), Map.of(), "--train");

        assertThat(training.awaitExit(Duration.ofSeconds(120))).as("stderr:%n%s", training.err()).isZero();
        assertThat(training.err()).contains("Gatehouse listening on 127.0.0.1:", "training run done");
        assertThat(archive).isNotEmptyFile();

        // -Xshare:on refuses to start unless the archive is mapped.
        Child validate = gatehouse.run(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"), Map.of(),
                "--validate", DEMO_CONFIG);
        assertThat(validate.awaitExit(Duration.ofSeconds(60))).as("stderr:%n%s", validate.err()).isZero();
        assertThat(validate.out()).contains("OK");
    }

    @Test
    void anArchiveThatDoesNotFitIsIgnored() throws Exception {
        Path notAnArchive = Files.write(dir.resolve("stale.jsa"), new byte[4096]);

        Child validate = gatehouse.run(List.of("-XX:SharedArchiveFile=" + notAnArchive), Map.of(),
                "--validate", DEMO_CONFIG);

        assertThat(validate.awaitExit(Duration.ofSeconds(60))).as("stderr:%n%s", validate.err()).isZero();
        assertThat(validate.out()).contains("OK");
    }
}
