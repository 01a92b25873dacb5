package io.imlma.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueTest {
    private static final Option<String> PATH = Option.string("snapshot.path").description("Where snapshots go.");
    private static final Option<Duration> WINDOW = Option.duration("window.size").defaultValue(Duration.ofMinutes(15))
            .description("Length of a window.");

    private static final Catalogue CATALOGUE = Catalogue.of("TestJob").with(List.of(PATH, WINDOW))
            .with(List.of(PATH)) // a second component reading the same setting
            .prefix("kafka.properties.", "Kafka client properties.")
            .pattern("monitor.<name>.raise-after", "Observations before a monitor raises.")
            .with(List.of(Option.decimal("trigger.theta").defaultValue(0.1).description("Volume threshold.")));

    @Test
    void knownKeysPrefixesPatternsAndTheConfigFilePass() {
        Settings settings = new Settings(Map.of("snapshot.path", "/x", "window.size", "1h",
                "kafka.properties.security.protocol", "SSL", "monitor.latency.raise-after", "3",
                "trigger.theta", "0.1", Settings.CONFIG_FILE, "job.properties"));
        assertThat(CATALOGUE.check(settings)).isSameAs(settings);
        assertThat(CATALOGUE.options()).extracting(Option::key).containsExactly("snapshot.path", "window.size",
                "trigger.theta");
    }

    @Test
    void anUnknownKeyFailsNamingItAndTheClosestKnownOne() {
        assertThatThrownBy(() -> CATALOGUE.check(new Settings(Map.of("snapshot.pth", "/x"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("snapshot.pth"))
                .hasMessageContaining("TestJob").hasMessageContaining("did you mean 'snapshot.path'");
        assertThatThrownBy(() -> CATALOGUE.check(new Settings(Map.of("colour", "red", "window.sise", "1h"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("colour"))
                .hasMessageContaining("see --help").hasMessageContaining("window.sise");
        assertThat(CATALOGUE.knows("monitor.latency.raise-after.x")).isFalse();
        assertThat(CATALOGUE.knows("kafka.properties.")).as("a prefix needs a name after it").isFalse();
        assertThat(CATALOGUE.suggestion("monitor.latncy.raise-after")).contains("monitor.<name>.raise-after");
    }

    @Test
    void theHelpListingShowsKeyTypeDefaultAndDescription() {
        assertThat(CATALOGUE.help()).contains("TestJob")
                .containsPattern("--snapshot\\.path +string +\\(required\\) +Where snapshots go\\.")
                .containsPattern("--window\\.size +duration +15min +Length of a window\\.")
                .contains("--kafka.properties.*").contains("--monitor.<name>.raise-after").contains("--trigger.theta");
    }

    @Test
    void aProgramStartsWithCheckedSettingsOrPrintsItsListingForHelp(@TempDir Path dir) throws Exception {
        assertThat(CATALOGUE.start("--snapshot.path", "/x")).hasValueSatisfying(
                s -> assertThat(s.string("snapshot.path")).isEqualTo("/x"));
        assertThat(CATALOGUE.start("--window.size", "1h", "--help")).isEmpty();
        assertThatThrownBy(() -> CATALOGUE.start("--snapshot.pth", "/x"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("snapshot.pth"));

        Path file = Files.writeString(dir.resolve("shared.properties"), "window.size=1h\nsnapshot.pth=/x\n");
        assertThatThrownBy(() -> CATALOGUE.start("--config", file.toString(), "--snapshot.path", "/y"))
                .as("a key of the shared file that no program knows")
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("snapshot.pth"))
                .hasMessageContaining("did you mean 'snapshot.path'").hasMessageContaining(file.toString());
    }

    @Test
    void theNamesOfAllProgramsReadBackAsTheSameKnownKeys() {
        Catalogue names = Catalogue.fromNames("all", Catalogue.names(List.of(CATALOGUE)));
        for (String key : List.of("snapshot.path", "window.size", "trigger.theta", "kafka.properties.acks",
                "monitor.drift.raise-after")) {
            assertThat(names.knows(key)).as(key).isTrue();
        }
        assertThat(names.knows("snapshot.pth")).isFalse();
        assertThat(Catalogue.allPrograms().program()).isEqualTo("any program");
    }

    @Test
    void aCatalogueIncludesAnother() {
        Catalogue launcher = Catalogue.of("Launcher").with(CATALOGUE).with(List.of(
                Option.string("launcher.jar").description("The jar.")));
        assertThat(launcher.knows("kafka.properties.acks")).isTrue();
        assertThat(launcher.knows("trigger.theta")).isTrue();
        assertThat(launcher.options()).extracting(Option::key).contains("snapshot.path", "launcher.jar");
    }
}
