package io.imlma.common.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.integrity.IntegrityEvent.Outcome;
import io.imlma.common.integrity.IntegrityEvent.Problem;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityVerifierTest {
    private static final PartitionGranularity DAILY = PartitionGranularity.DAILY;
    private static final long DAY1 = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-02-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private IntegrityStore store;
    private IntegrityVerifier verifier;
    private Path dataFile;
    private byte[] original;

    @BeforeEach
    void sealOnePartition() throws Exception {
        store = new IntegrityStore(dir.resolve("primary").toUri(), dir.resolve("backup").toUri());
        verifier = new IntegrityVerifier(store, CLOCK);
        original = "{\"row\":1}\n{\"row\":2}\n{\"row\":3}\n".getBytes(StandardCharsets.UTF_8);
        dataFile = dir.resolve("primary/dt=2024-01-02/part-0-0");
        Files.createDirectories(dataFile.getParent());
        Files.write(dataFile, original);
        Optional<SnapshotManifest> manifest = new SnapshotPartitionCommitter(store, CLOCK)
                .tryCommit("dt=2024-01-02", new TimeRange(DAY1, DAY1 + DAY), 3);
        assertThat(manifest).isPresent();
        assertThat(manifest.get().files()).singleElement().satisfies(f -> {
            assertThat(f.rows()).isEqualTo(3);
            assertThat(f.bytes()).isEqualTo(original.length);
            assertThat(f.sha256()).isEqualTo(FileDigest.sha256(original));
        });
        assertThat(dir.resolve("backup/dt=2024-01-02/part-0-0")).hasBinaryContent(original);
        assertThat(dir.resolve("backup/dt=2024-01-02/_MANIFEST.json")).exists();
    }

    @Test
    void aFileRenamedWhileThePartitionIsListedMeansNotCompleteYet() throws Exception {
        Path partition = dir.resolve("primary/dt=2024-01-03");
        Files.createDirectories(partition);
        Files.write(partition.resolve("part-0-0"), "{\"row\":1}\n{\"row\":2}\n".getBytes(StandardCharsets.UTF_8));
        // listed by name, gone by the time it is looked at: how a file the sink renames at that moment appears
        Path vanishing = Files.createSymbolicLink(partition.resolve("part-0-1"), partition.resolve(".part-0-1.tmp"));
        SnapshotPartitionCommitter committer = new SnapshotPartitionCommitter(store, CLOCK);
        TimeRange range = new TimeRange(DAY1 + DAY, DAY1 + 2 * DAY);

        assertThat(committer.tryCommit("dt=2024-01-03", range, 2)).isEmpty();
        Files.delete(vanishing);
        assertThat(committer.tryCommit("dt=2024-01-03", range, 2)).get()
                .satisfies(m -> assertThat(m.rows()).isEqualTo(2));
    }

    @Test
    void intactRangeVerifiesWithoutEvents() throws Exception {
        VerificationReport report = verifier.verifySnapshot(new TimeRange(DAY1, DAY1 + DAY), DAILY);
        assertThat(report.events()).isEmpty();
        assertThat(report.alarms()).isEmpty();
        assertThat(report.rows()).isEqualTo(3);
    }

    @Test
    void flippedBytesAreRestoredFromBackupWithAnAlarm() throws Exception {
        byte[] corrupted = original.clone();
        corrupted[3] ^= 0x5A;
        Files.write(dataFile, corrupted);
        assertRestored(Problem.WRONG_SHA256);
    }

    @Test
    void truncatedFileIsRestoredFromBackupWithAnAlarm() throws Exception {
        Files.write(dataFile, java.util.Arrays.copyOf(original, original.length - 5));
        assertRestored(Problem.WRONG_SIZE);
    }

    @Test
    void deletedFileIsRestoredFromBackupWithAnAlarm() throws Exception {
        Files.delete(dataFile);
        assertRestored(Problem.MISSING);
    }

    @Test
    void deletedManifestIsRestoredFromBackup() throws Exception {
        Files.delete(dir.resolve("primary/dt=2024-01-02/_MANIFEST.json"));
        VerificationReport report = verifier.verifySnapshot(new TimeRange(DAY1, DAY1 + DAY), DAILY);
        assertThat(report.events()).singleElement().satisfies(e -> {
            assertThat(e.problem()).isEqualTo(Problem.MANIFEST_MISSING);
            assertThat(e.outcome()).isEqualTo(Outcome.RESTORED);
        });
        assertThat(dir.resolve("primary/dt=2024-01-02/_MANIFEST.json")).exists();
    }

    @Test
    void corruptedBackupRefusesTheRange() throws Exception {
        byte[] corrupted = original.clone();
        corrupted[0] ^= 0x01;
        Files.write(dataFile, corrupted);
        Files.write(dir.resolve("backup/dt=2024-01-02/part-0-0"), corrupted);
        assertThatThrownBy(() -> verifier.verifySnapshot(new TimeRange(DAY1, DAY1 + DAY), DAILY))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("REFUSED snapshot range dt=2024-01-02")
                .hasMessageContaining("BACKUP_CORRUPT")
                .satisfies(e -> {
                    VerificationReport report = ((IntegrityException) e).report();
                    assertThat(report.usable()).isFalse();
                    assertThat(report.alarms()).singleElement().satisfies(a -> {
                        assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY);
                        assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
                    });
                });
        assertThat(dataFile).hasBinaryContent(corrupted); // nothing "repaired" with bad data
    }

    @Test
    void partitionWithoutManifestIsRefused() {
        assertThatThrownBy(() -> verifier.verifySnapshot(new TimeRange(DAY1, DAY1 + 2 * DAY), DAILY))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("dt=2024-01-03/_MANIFEST.json MANIFEST_MISSING");
    }

    @Test
    void modelFileWithKnownSha256IsRestoredOrRefused() throws Exception {
        byte[] model = "{\"weights\":[0.1,0.2]}".getBytes(StandardCharsets.UTF_8);
        String sha256 = store.write("models/load-forecast/v1/model.json", model);
        assertThat(dir.resolve("primary/models/load-forecast/v1/model.json.sha256")).content()
                .startsWith(sha256 + "  model.json");
        assertThat(verifier.verifyFile("models/load-forecast/v1/model.json", sha256).events()).isEmpty();

        Path primary = dir.resolve("primary/models/load-forecast/v1/model.json");
        Files.write(primary, "{\"weights\":[9.9,0.2]}".getBytes(StandardCharsets.UTF_8));
        VerificationReport report = verifier.verifyFile("models/load-forecast/v1/model.json", sha256);
        assertThat(report.events()).singleElement().satisfies(e -> assertThat(e.restored()).isTrue());
        assertThat(primary).hasBinaryContent(model);

        Files.delete(primary);
        Files.delete(dir.resolve("backup/models/load-forecast/v1/model.json"));
        assertThatThrownBy(() -> verifier.verifyFile("models/load-forecast/v1/model.json", sha256))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("BACKUP_MISSING");
    }

    @Test
    void retentionKeepsRecentAndProtectedPartitions() throws Exception {
        for (String id : List.of("dt=2023-12-01", "dt=2023-12-02", "dt=2023-12-03")) {
            Files.createDirectories(dir.resolve("primary").resolve(id));
            Files.createDirectories(dir.resolve("backup").resolve(id));
        }
        long protectedStart = Instant.parse("2023-12-02T00:00:00Z").toEpochMilli();
        List<String> deleted = new SnapshotRetention(store, DAILY, Duration.ofDays(30))
                .apply(CLOCK.millis(), List.of(new TimeRange(protectedStart, protectedStart + DAY)));
        // cutoff 2024-01-02: 12-01 and 12-03 expire, 12-02 is protected, 2024-01-02 is recent
        assertThat(deleted).containsExactly("dt=2023-12-01", "dt=2023-12-03");
        assertThat(dir.resolve("primary/dt=2023-12-01")).doesNotExist();
        assertThat(dir.resolve("backup/dt=2023-12-03")).doesNotExist();
        assertThat(dir.resolve("primary/dt=2023-12-02")).exists();
        assertThat(dir.resolve("primary/dt=2024-01-02")).exists();
    }

    private void assertRestored(Problem expected) throws Exception {
        VerificationReport report = verifier.verifySnapshot(new TimeRange(DAY1, DAY1 + DAY), DAILY);
        assertThat(report.events()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("dt=2024-01-02/part-0-0");
            assertThat(e.problem()).isEqualTo(expected);
            assertThat(e.outcome()).isEqualTo(Outcome.RESTORED);
        });
        assertThat(report.alarms()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.message()).contains("dt=2024-01-02/part-0-0");
        });
        assertThat(dataFile).hasBinaryContent(original);
        assertThat(verifier.verifySnapshot(new TimeRange(DAY1, DAY1 + DAY), DAILY).events()).isEmpty();
    }
}
