package io.imlma.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The demo reads the streaming job's settings, the API's and its own, and refuses any other before it starts. */
class DemoSettingsTest {
    @Test
    void aMisspeltSettingIsRefusedNamingTheClosestOne() {
        assertThatThrownBy(() -> Demo.settings().start("--web-prot", "8081"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("web-prot"))
                .hasMessageStartingWith("Invalid setting 'web-prot'").hasMessageContaining("'web-port'");
        assertThat(StartChecks.describe(new IllegalStateException(new ConfigException("speed-up", "x"))))
                .startsWith("Invalid setting 'speed-up'");
    }

    @Test
    void itKnowsTheJobsTheApisAndItsOwnSettings() {
        for (String key : new String[] {"speed-up", "work-dir", "api.port", "api.auth", "trigger.min-initial-rows",
                "monitor.latency.event-budget", "monitor.drift.raise-after", "window.size"}) {
            assertThat(Demo.settings().knows(key)).as(key).isTrue();
        }
        assertThat(Demo.settings().start("--speed-up", "0", "--api.port", "0")).isPresent();
    }
}
