package io.imlma.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.LinearHorizonModel;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.Normalization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files are checked against the registry's SHA-256 before use, restored from the backup, and alarmed on. */
class ModelStoreTest {
    private static final String MODEL = "load-forecast";
    private static final ModelArtifact ARTIFACT = new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, "linear",
            Map.of("l2", 0.01), new Metrics(100, 0.04, 0.2, 0.5), 0.1, 0L, 1L, 2L,
            new LinearHorizonModel(new HorizonSpec(2, 1, false, ZoneOffset.UTC), Normalization.NONE,
                    new double[] {0.2, 0.7}, new double[] {0.05}));

    @TempDir
    Path dir;

    private final List<Alarm> alarms = new CopyOnWriteArrayList<>();
    private IntegrityStore files;
    private ModelStore store;
    private String path;
    private String sha256;

    @BeforeEach
    void writeOneModel() throws Exception {
        files = new IntegrityStore(dir.resolve("models").toUri(), dir.resolve("backup").toUri());
        store = new ModelStore(files, Clock.systemUTC(), alarms::add);
        path = ModelStore.relativePath(MODEL, 3);
        sha256 = store.write(path, ARTIFACT);
    }

    @Test
    void aWrittenModelLoadsAsItWasWithoutAlarms() throws Exception {
        assertThat(path).isEqualTo(MODEL + "/v3/" + ModelStore.FILE_NAME);
        assertThat(Path.of(files.backup(path).toUri())).exists();

        ModelArtifact loaded = store.load(path, sha256);

        assertThat(loaded.toBytes()).isEqualTo(ARTIFACT.toBytes());
        // w1 weighs the latest mean (2.0), w2 the one before
        assertThat(loaded.forecast(new double[] {1.0, 2.0}, 0L)).containsExactly(0.05 + 0.7 * 2.0 + 0.2 * 1.0);
        assertThat(alarms).isEmpty();
    }

    @Test
    void aDamagedPrimaryCopyIsRestoredFromTheBackupAndAlarmed() throws Exception {
        damage(primary());

        ModelArtifact loaded = store.load(path, sha256);

        assertThat(loaded.toBytes()).isEqualTo(ARTIFACT.toBytes());
        assertThat(primary()).hasBinaryContent(ARTIFACT.toBytes());
        assertThat(alarms).isNotEmpty().allSatisfy(a -> assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY));
    }

    @Test
    void aModelWhoseCopiesAreBothDamagedIsRefusedAndAlarmed() throws Exception {
        damage(primary());
        damage(Path.of(files.backup(path).toUri()));

        assertThatThrownBy(() -> store.load(path, sha256)).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> store.verify(path, sha256)).as("the registry's check before promoting")
                .isInstanceOf(IntegrityException.class);
        assertThat(alarms).isNotEmpty().allSatisfy(a -> assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY));
    }

    @Test
    void aFailingAlarmSinkDoesNotChangeTheOutcome() throws Exception {
        ModelStore unrecorded = new ModelStore(files, Clock.systemUTC(), alarm -> {
            throw new RegistryException("registry unreachable");
        });
        damage(primary());

        assertThat(unrecorded.load(path, sha256).toBytes()).isEqualTo(ARTIFACT.toBytes());
        damage(primary());
        damage(Path.of(files.backup(path).toUri()));
        assertThatThrownBy(() -> unrecorded.load(path, sha256)).isInstanceOf(IntegrityException.class);
    }

    private Path primary() {
        return Path.of(files.primary(path).toUri());
    }

    private static void damage(Path file) throws Exception {
        Files.write(file, "{\"not\": \"the model\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLocationSettingsNameTwoPlaces() {
        Settings same = new Settings(Map.of(ModelStore.PATH.key(), dir.resolve("m").toString(),
                ModelStore.BACKUP_PATH.key(), dir.resolve("m").toUri().toString()));
        assertThatThrownBy(() -> ModelStore.location(same)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.setting()).isEqualTo(ModelStore.BACKUP_PATH.key()));
        assertThatThrownBy(() -> ModelStore.location(new Settings(Map.of()))).isInstanceOfSatisfying(
                ConfigException.class, e -> assertThat(e.setting()).isEqualTo(ModelStore.PATH.key()));
        IntegrityStore store = ModelStore.location(new Settings(Map.of(ModelStore.PATH.key(),
                dir.resolve("m").toString(), ModelStore.BACKUP_PATH.key(), dir.resolve("b").toString())));
        assertThat(Path.of(store.primaryBase())).isEqualTo(dir.resolve("m").toAbsolutePath());
    }
}
