package io.imlma.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionTest {
    enum Mode { LOCAL, FLINK_CLIENT }

    private static final Option<Duration> WINDOW = Option.duration("window.size").defaultValue(Duration.ofMinutes(15))
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive").description("Length of a window.");
    private static final Option<String> URL = Option.string("registry.jdbc-url").description("The registry.");

    private static Settings settings(String... keyValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new Settings(map);
    }

    @Test
    void readsEveryDurationFormatSettingsAccepts() {
        assertThat(WINDOW.value(settings("window.size", "30s"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(WINDOW.value(settings("window.size", "15min"))).isEqualTo(Duration.ofMinutes(15));
        assertThat(WINDOW.value(settings("window.size", "2h"))).isEqualTo(Duration.ofHours(2));
        assertThat(WINDOW.value(settings("window.size", "7d"))).isEqualTo(Duration.ofDays(7));
        assertThat(WINDOW.value(settings("window.size", "PT15M"))).isEqualTo(Duration.ofMinutes(15));
        assertThat(WINDOW.value(settings("window.size", "500ms"))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void absentGivesTheDefaultAndARequiredOneFailsNamingTheKey() {
        assertThat(WINDOW.value(settings())).isEqualTo(Duration.ofMinutes(15));
        assertThat(WINDOW.value(settings("window.size", " "))).as("blank is absent").isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> URL.value(settings())).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.setting()).isEqualTo("registry.jdbc-url")).hasMessageContaining("required");
        assertThat(URL.find(settings())).isEmpty();
        assertThat(URL.value(settings("registry.jdbc-url", " jdbc:h2:mem:x "))).isEqualTo("jdbc:h2:mem:x");
    }

    @Test
    void aFailedCheckOrAnUnparsableValueNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> WINDOW.value(settings("window.size", "0s")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("window.size"))
                .hasMessageContaining("must be positive").hasMessageContaining("'0s'");
        assertThatThrownBy(() -> WINDOW.value(settings("window.size", "5 parsecs")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("window.size"))
                .hasMessageContaining("duration");
    }

    @Test
    void underAnotherKeyTheChecksStayAndTheDefaultGoes() {
        Option<Integer> shared = Option.integer("monitor.hysteresis.raise-after").defaultValue(2)
                .check(n -> n >= 1, "must be at least 1").description("Evaluations before an alarm.");
        Option<Integer> own = shared.under("monitor.latency.raise-after");
        assertThat(own.key()).isEqualTo("monitor.latency.raise-after");
        assertThat(own.find(new Settings(Map.of()))).isEmpty();
        assertThat(own.find(new Settings(Map.of("monitor.latency.raise-after", "4")))).contains(4);
        assertThatThrownBy(() -> own.find(new Settings(Map.of("monitor.latency.raise-after", "0"))))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.setting()).isEqualTo("monitor.latency.raise-after"));
    }

    @Test
    void aDefaultThatFailsItsOwnCheckIsADeclarationError() {
        assertThatThrownBy(() -> Option.integer("pool").defaultValue(0).check(n -> n >= 1, "must be at least 1")
                .description("")).isInstanceOf(IllegalStateException.class).hasMessageContaining("pool");
    }

    @Test
    void typesAndDefaultsAreListedAsAValueWouldBeWritten() {
        Option<Mode> mode = Option.enumValue("launcher.mode", Mode.class).defaultValue(Mode.FLINK_CLIENT)
                .description("How.");
        assertThat(mode.type()).isEqualTo("local|flink-client");
        assertThat(mode.defaultText()).isEqualTo("flink-client");
        assertThat(mode.value(settings("launcher.mode", "local"))).isEqualTo(Mode.LOCAL);
        assertThatThrownBy(() -> mode.value(settings("launcher.mode", "yarn"))).hasMessageContaining("launcher.mode");
        assertThat(WINDOW.defaultText()).isEqualTo("15min");
        assertThat(URL.defaultText()).isEqualTo("(required)");
        assertThat(Option.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Option.formatDuration(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Option.formatDuration(Duration.ZERO)).isEqualTo("0s");
        assertThat(Option.integer("n").defaultText("the number of lags").description("").defaultText())
                .isEqualTo("the number of lags");
    }

    @Test
    void otherTypesUseSettingsParsers() {
        assertThat(Option.integer("n").defaultValue(3).description("").value(settings("n", "7"))).isEqualTo(7);
        assertThat(Option.longValue("n").description("").value(settings("n", "7000000000"))).isEqualTo(7_000_000_000L);
        assertThat(Option.decimal("x").defaultValue(0.1).description("").value(settings())).isEqualTo(0.1);
        assertThatThrownBy(() -> Option.decimal("x").description("").value(settings("x", "NaN")))
                .hasMessageContaining("finite");
        assertThat(Option.bool("b").defaultValue(false).description("").value(settings("b", "TRUE"))).isTrue();
        assertThat(Option.uri("p").description("").value(settings("p", "hdfs://nn:8020/x")))
                .isEqualTo(URI.create("hdfs://nn:8020/x"));
        assertThat(Option.uri("p").description("").value(settings("p", "rel/dir")).getScheme()).isEqualTo("file");
    }
}
