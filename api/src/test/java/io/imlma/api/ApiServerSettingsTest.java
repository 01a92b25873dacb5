package io.imlma.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server refuses a setting no program knows before it opens anything. */
class ApiServerSettingsTest {
    @Test
    void aMisspeltSettingOnTheCommandLineFailsNamingItAndTheClosestOne() {
        assertThatThrownBy(() -> ApiServer.main(new String[] {"--api.prot", "7071"}))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("api.prot"))
                .hasMessageContaining("ApiServer").hasMessageContaining("did you mean 'api.port'");
    }

    @Test
    void theSharedFileMayHoldOtherProgramsSettingsButNoUnknownOnes(@TempDir Path dir) throws Exception {
        assertThat(ApiServer.settings().knows("checkpoint.dir")).as("the streaming job's").isFalse();
        Path file = Files.writeString(dir.resolve("imlma.properties"),
                "checkpoint.dir=hdfs://nn:8020/checkpoints\nregistry.pool-size=4\nregistry.jdbc-ur=jdbc:h2:mem:x\n");
        assertThatThrownBy(() -> ApiServer.settings().start("--config", file.toString()))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.setting()).isEqualTo("registry.jdbc-ur"))
                .hasMessageContaining("did you mean 'registry.jdbc-url'");
        Files.writeString(file, "checkpoint.dir=hdfs://nn:8020/checkpoints\nregistry.pool-size=4\n");
        assertThat(ApiServer.settings().start("--config", file.toString())).isPresent();
        assertThatThrownBy(() -> ApiServer.settings().start("--config", file.toString(), "--checkpoint.dir", "x"))
                .as("on the command line, only its own").isInstanceOf(ConfigException.class);
    }
}
