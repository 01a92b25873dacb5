package io.imlma.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.Catalogue;
import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Option;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
    @Test
    void readsGivenValuesAndFallsBackToDefaults() {
        Arguments a = Arguments.of("--meters", "5", "--rate=0.5");

        assertThat(a.integer("meters", 10, "meters")).isEqualTo(5);
        assertThat(a.integer("intervals", 60, "intervals")).isEqualTo(60);
        assertThat(a.decimal("rate", 1.0, "rate")).isEqualTo(0.5);
        assertThat(a.string("model", "linear", "model")).isEqualTo("linear");
        assertThat(a.path("data", "bundled", () -> Path.of("fallback.csv"), "data")).isEqualTo(Path.of("fallback.csv"));
        assertThat(a.helpAsked()).isFalse();
    }

    @Test
    void helpAnywhereListsEveryOptionReadWithItsDefaultAndTheNotes() {
        Arguments a = Arguments.of("--meters", "5", "--help");
        a.integer("meters", 10, "meters generated");
        a.string("channel", "HUFL", "the column");
        a.note("plus the pipeline's settings", Catalogue.of("pipeline"));

        assertThat(a.helpAsked()).isTrue();
        assertThat(a.usage("bench-x", "What it measures.").lines().toList()).containsExactly(
                "usage: bin/imlma bench-x [--option value ...]",
                "What it measures.",
                "",
                "options:",
                "  --meters   meters generated (default 10)",
                "  --channel  the column (default HUFL)",
                "  plus the pipeline's settings");
        assertThat(Arguments.of("-h").helpAsked()).isTrue();
    }

    private static final Option<Duration> WINDOW = Option.duration("window.size").description("Length of an interval.");

    @Test
    void aSettingNoOneReadsFailsNamingItAndTheClosestOption() {
        Arguments a = Arguments.of("--meters", "5", "--intervalls", "9", "--window.size", "1h");
        a.integer("meters", 10, "meters generated");
        a.integer("intervals", 60, "readings per meter");
        a.note("plus the pipeline's settings", Catalogue.of("pipeline").with(List.of(WINDOW)));

        assertThatThrownBy(() -> a.catalogue("bin/imlma bench-x").check(a.settings()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("intervalls"))
                .hasMessageContaining("bench-x").hasMessageContaining("did you mean 'intervals'");
        Arguments known = Arguments.of("--meters", "5", "--window.size", "1h");
        known.integer("meters", 10, "meters generated");
        known.note("plus the pipeline's settings", Catalogue.of("pipeline").with(List.of(WINDOW)));
        assertThat(known.catalogue("bin/imlma bench-x").check(known.settings())).isSameAs(known.settings());
    }

    @Test
    void aBadValueFailsNamingTheOption() {
        Arguments a = Arguments.of("--meters", "many");

        assertThatThrownBy(() -> a.integer("meters", 10, "meters")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'meters'");
    }
}
