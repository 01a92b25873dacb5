package io.imlma.deploy.jobconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.deploy.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/settings.md and the list of all programs' settings are what the catalogues generate. */
class SettingsDocTest {
    @Test
    void theCommittedFilesAreUpToDate() throws IOException {
        for (Map.Entry<String, String> file : SettingsDoc.files().entrySet()) {
            Path committed = RepoFiles.root().resolve(file.getKey());
            assertThat(Files.exists(committed) ? Files.readString(committed) : "")
                    .as("%s is out of date; regenerate it from the repository root with:%n%s", file.getKey(),
                            SettingsDoc.COMMAND)
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void theDocumentListsEachSettingOnceWithItsDefault() {
        String doc = SettingsDoc.files().get(SettingsDoc.DOC);
        assertThat(doc).containsOnlyOnce("| `registry.pool-size` | integer | 8 | ApiServer, MeterPipelineJob,"
                + " RetrainJob, VerifySnapshotJob |")
                .contains("| `kafka.property.*` | | | MeterPipelineJob |")
                .contains("| `launcher.mode` | local|flink-client|flink-rest|kubernetes".replace("|f", "\\|f")
                        .replace("|k", "\\|k"));
    }
}
