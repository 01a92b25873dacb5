package io.imlma.common.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.FeatureRow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedSnapshotTest {
    private static final long QUARTER = Duration.ofMinutes(15).toMillis();
    private static final long JAN2 = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void writesOneSealedAndBackedUpFilePerDayThatVerifies() throws Exception {
        IntegrityStore store = new IntegrityStore(dir.resolve("primary").toUri(), dir.resolve("backup").toUri());
        List<FeatureRow> rows = new ArrayList<>();
        for (long t = JAN2; t < JAN2 + 2 * Duration.ofDays(1).toMillis(); t += QUARTER) {
            for (String meter : List.of("a", "b")) {
                rows.add(new FeatureRow(meter, t, t + QUARTER, 1, 1, 1, 1, 0, false, false, t + QUARTER));
            }
        }

        List<SnapshotManifest> manifests = SealedSnapshot.write(store, rows);

        assertThat(manifests).extracting(SnapshotManifest::partitionId).containsExactly("dt=2024-01-02", "dt=2024-01-03");
        assertThat(manifests).allSatisfy(m -> {
            assertThat(m.rows()).isEqualTo(2 * 96);
            assertThat(m.files()).extracting(SnapshotManifest.ManifestFile::path).containsExactly(SealedSnapshot.FILE);
            assertThat(dir.resolve("backup").resolve(m.partitionId()).resolve(SealedSnapshot.FILE)).exists();
        });
        TimeRange range = new TimeRange(JAN2, JAN2 + 2 * Duration.ofDays(1).toMillis());
        assertThat(new IntegrityVerifier(store, Clock.systemUTC()).verifySnapshot(range, PartitionGranularity.DAILY)
                .events()).isEmpty();
    }
}
