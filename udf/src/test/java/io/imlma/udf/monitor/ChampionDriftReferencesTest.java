package io.imlma.udf.monitor;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SealedSnapshot;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.PersistenceModel;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The serving champion's training range, read back from the verified snapshot, becomes the drift reference. */
class ChampionDriftReferencesTest {
    private static final long STEP = 900_000L;
    private static final long DAY = 96 * STEP;

    @TempDir
    Path dir;

    private IntegrityStore snapshots;

    /** Three days of two meters; day 0 lies outside every champion's training range and has extreme values. */
    @BeforeEach
    void snapshot() throws Exception {
        snapshots = new IntegrityStore(dir.resolve("snapshots").toUri(), dir.resolve("snapshots-backup").toUri());
        List<FeatureRow> rows = new ArrayList<>();
        for (String meter : List.of("m1", "m2")) {
            for (long i = 0; i < 3 * 96; i++) {
                double z = i < 96 ? 1_000 : (i % 96) / 96.0;
                boolean imputed = i == 100; // never a reference value: not an observation
                rows.add(new FeatureRow(meter, i * STEP, (i + 1) * STEP, z, z, z, 15, imputed ? -50 : z, imputed,
                        false, i * STEP));
            }
        }
        SealedSnapshot.write(snapshots, rows);
    }

    private static ModelArtifact trainedOn(long from, long to) {
        return new ModelArtifact(ModelArtifact.FORMAT_VERSION, "load", "persistence", Map.of(),
                new Metrics(100, 0.1, 0.2, 0.9), 0.1, from, to, 0L, new PersistenceModel(HorizonSpec.dayAhead()));
    }

    private KeyedOneInputStreamOperatorTestHarness<String, ModelUpdate, DriftReference> harness(int referenceSize)
            throws Exception {
        DriftMonitor.Config config = DriftMonitor.Config.fromSettings(new Settings(Map.of(
                "monitor.drift.features", "standardized,mean", "monitor.drift.reference-size",
                Integer.toString(referenceSize))));
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ChampionDriftReferences(config,
                (update, alarms) -> trainedOn(DAY, 3 * DAY), snapshots, PartitionGranularity.DAILY),
                ModelUpdate::modelName, Types.STRING);
    }

    private static List<Alarm> alarms(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        var out = h.getSideOutput(ChampionDriftReferences.ALARMS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void eachMeterAndFeatureGetsASortedSampleOfTheTrainingRangeOnly() throws Exception {
        try (var h = harness(50)) {
            h.processElement(new ModelUpdate("load", 2, "load/v2.json", "abc", 5_000L), 0);
            List<DriftReference> references = h.extractOutputValues();
            assertThat(references).hasSize(4)
                    .extracting(r -> r.meterId() + "|" + r.feature())
                    .containsExactlyInAnyOrder("m1|standardized", "m1|mean", "m2|standardized", "m2|mean");
            assertThat(references).allSatisfy(r -> {
                assertThat(r.modelName()).isEqualTo("load");
                assertThat(r.modelVersion()).isEqualTo(2);
                assertThat(r.createdAt()).isEqualTo(5_000L);
                assertThat(r.sortedSample()).hasSize(50).isSorted();
                // days 1 and 2 only, spread over both (not the first values), imputed rows left out
                assertThat(r.sortedSample()[49]).isLessThan(1.0);
                assertThat(r.sortedSample()[0]).isZero();
                assertThat(r.sortedSample()[49]).isGreaterThan(0.9);
            });
            assertThat(alarms(h)).isEmpty();
        }
    }

    @Test
    void theChampionAlreadyPublishedOrAnOlderOneIsSkipped() throws Exception {
        try (var h = harness(672)) {
            h.processElement(new ModelUpdate("load", 2, "load/v2.json", "abc", 5_000L), 0);
            int published = h.extractOutputValues().size();
            assertThat(h.extractOutputValues().get(0).sortedSample()).as("all training values when fewer than the size")
                    .hasSize(2 * 96 - 1);
            h.processElement(new ModelUpdate("load", 2, "load/v2.json", "ABC", 5_000L), 0);
            h.processElement(new ModelUpdate("load", 1, "load/v1.json", "def", 4_000L), 0);
            assertThat(h.extractOutputValues()).hasSize(published);
            h.processElement(new ModelUpdate("load", 3, "load/v3.json", "ghi", 6_000L), 0);
            assertThat(h.extractOutputValues()).hasSize(2 * published);
        }
    }

    @Test
    void aTrainingSnapshotBadInBothCopiesPublishesNothingAndAlarms() throws Exception {
        Path file = Path.of(snapshots.primary("dt=1970-01-02/" + SealedSnapshot.FILE).toUri());
        Files.writeString(file, "{}\n");
        Path backup = Path.of(snapshots.backup("dt=1970-01-02/" + SealedSnapshot.FILE).toUri());
        Files.createDirectories(backup.getParent());
        Files.writeString(backup, "{}\n");
        try (var h = harness(50)) {
            h.processElement(new ModelUpdate("load", 2, "load/v2.json", "abc", 5_000L), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(alarms(h)).isNotEmpty().allSatisfy(a -> assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY));
        }
    }
}
