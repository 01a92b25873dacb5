package io.imlma.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    enum Policy { KEEP_FIRST, KEEP_LAST }

    @Test
    void commandLineOverridesFileAndParsesBothForms(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "window.size=10min\nname=from-file\nspeedup=2\n");

        Settings s = Settings.fromArgs("--config", file.toString(), "--name=cli", "--speedup", "50", "--verbose");

        assertThat(s.string("name")).isEqualTo("cli");
        assertThat(s.decimal("speedup", 1)).isEqualTo(50.0);
        assertThat(s.duration("window.size", Duration.ZERO)).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.bool("verbose", false)).isTrue();
        assertThat(s.integer("absent", 7)).isEqualTo(7);
    }

    @Test
    void errorsNameTheSetting() {
        Settings s = new Settings(Map.of("a", "x1", "b", "NaN", "c", "yes", "d", "5 parsecs", "e", "keep-middle"));

        assertThatThrownBy(() -> s.integer("a", 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'a'").hasMessageContaining("x1");
        assertThatThrownBy(() -> s.decimal("b", 0)).hasMessageContaining("'b'").hasMessageContaining("finite");
        assertThatThrownBy(() -> s.bool("c", false)).hasMessageContaining("'c'");
        assertThatThrownBy(() -> s.duration("d", Duration.ZERO)).hasMessageContaining("'d'");
        assertThatThrownBy(() -> s.enumValue("e", Policy.class, Policy.KEEP_FIRST))
                .hasMessageContaining("keep-first").hasMessageContaining("keep-last");
        assertThatThrownBy(() -> s.string("missing")).hasMessageContaining("'missing'").hasMessageContaining("required");
        assertThatThrownBy(() -> Settings.fromArgs("--config", "/no/such/file.properties"))
                .hasMessageContaining("'config'");
    }

    @Test
    void locationsAreUrisOrLocalPaths() {
        Settings s = new Settings(Map.of("hdfs", "hdfs://nn:8020/imlma/models", "path", "data/../models",
                "file", "file:///var/imlma"));

        assertThat(s.uri("hdfs")).hasScheme("hdfs").hasHost("nn").hasPort(8020).hasPath("/imlma/models");
        assertThat(s.uri("file")).hasScheme("file").hasPath("/var/imlma");
        assertThat(s.uri("path")).hasScheme("file")
                .isEqualTo(Path.of("models").toAbsolutePath().toUri());
        assertThatThrownBy(() -> s.uri("absent")).hasMessageContaining("'absent'");
    }

    @Test
    void durationsInSeveralNotations() {
        assertThat(Settings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Settings.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Settings.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Settings.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Settings.parseDuration("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(new Settings(Map.of("k", "keep-last")).enumValue("k", Policy.class, Policy.KEEP_FIRST))
                .isEqualTo(Policy.KEEP_LAST);
    }
}
