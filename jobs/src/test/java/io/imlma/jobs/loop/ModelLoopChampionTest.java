package io.imlma.jobs.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.ModelUpdate;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.PersistenceModel;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The champion a starting loop serves: its model file is checked first, and the check's alarms are not lost. */
class ModelLoopChampionTest {
    private static final String MODEL = "load-forecast";

    @TempDir
    Path dir;

    private Settings settings;
    private IntegrityStore models;
    private String path;

    @BeforeEach
    void championV1() throws Exception {
        settings = new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2File(dir.resolve("registry"))));
        models = new IntegrityStore(dir.resolve("models").toUri(), dir.resolve("models-backup").toUri());
        path = ModelStore.relativePath(MODEL, 1);
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, "persistence", Map.of(),
                new Metrics(100, 0.1, 0.2, 0.9), 0.1, 0L, 1L, 2L, new PersistenceModel(HorizonSpec.dayAhead()));
        ModelStore store = new ModelStore(models, Clock.systemUTC(), alarm -> { });
        String sha = store.write(path, artifact);
        try (JdbcModelRegistry registry = JdbcModelRegistry.open(settings, store)) {
            ModelVersion v1 = registry.register(new NewVersion(MODEL, "run-1", null, null, null, "linear", Map.of(),
                    new VersionMetrics(0.1, 0.2, 0.9), path, sha, List.of()));
            registry.promote(MODEL, v1.version(), "test", "first");
        }
    }

    @Test
    void aHealthyChampionIsServedWithoutAlarms() {
        List<Alarm> alarms = new ArrayList<>();
        Optional<ModelUpdate> champion = ModelLoop.currentChampion(settings, models, MODEL, alarms::add);
        assertThat(champion).get().extracting(ModelUpdate::version).isEqualTo(1);
        assertThat(alarms).isEmpty();
    }

    @Test
    void aCorruptedChampionFileIsRestoredFromItsBackupAndAlarmed() throws Exception {
        Files.writeString(Path.of(models.primary(path).toUri()), "{\"corrupted\": true}");
        List<Alarm> alarms = new ArrayList<>();
        Optional<ModelUpdate> champion = ModelLoop.currentChampion(settings, models, MODEL, alarms::add);
        assertThat(champion).get().extracting(ModelUpdate::version).isEqualTo(1);
        assertThat(alarms).isNotEmpty().allSatisfy(alarm -> assertThat(alarm.type()).isEqualTo(AlarmType.INTEGRITY));
    }

    @Test
    void aChampionWhoseCopiesAreBothBadIsNotServedButAlarmed() throws Exception {
        Files.writeString(Path.of(models.primary(path).toUri()), "{\"corrupted\": true}");
        Files.writeString(Path.of(models.backup(path).toUri()), "{\"corrupted\": true}");
        List<Alarm> alarms = new ArrayList<>();
        assertThat(ModelLoop.currentChampion(settings, models, MODEL, alarms::add)).isEmpty();
        assertThat(alarms).isNotEmpty().allSatisfy(alarm -> assertThat(alarm.type()).isEqualTo(AlarmType.INTEGRITY));
    }
}
