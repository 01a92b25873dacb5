package io.imlma.jobs.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrainConfigTest {
    private static Map<String, String> valid() {
        Map<String, String> values = new HashMap<>();
        values.put("request-id", "r1");
        values.put("model", "load-forecast");
        values.put("data-from", "2016-07-01");
        values.put("data-to", "1467936000000");
        values.put("snapshot.path", "file:///tmp/s");
        values.put("snapshot.backup-path", "file:///tmp/s-backup");
        values.put("model.store.path", "file:///tmp/m");
        values.put("model.store.backup-path", "file:///tmp/m-backup");
        return values;
    }

    @Test
    void readsDatesEpochMillisAndDefaults() {
        RetrainConfig config = RetrainConfig.from(new Settings(valid()));
        assertThat(config.range().from()).isEqualTo(1467331200000L);
        assertThat(config.range().to()).isEqualTo(1467936000000L);
        assertThat(config.tuningMethod()).isEqualTo(RetrainConfig.TuningMethod.BO);
        assertThat(config.tuner().name()).isEqualTo("bayesian");
        assertThat(config.kafkaBootstrap()).isNull();
    }

    @Test
    void badSettingsFailNamingTheSetting() {
        Map<String, String> values = valid();
        values.put("tuning.method", "annealing");
        assertThatThrownBy(() -> RetrainConfig.from(new Settings(values))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tuning.method");
        values.remove("tuning.method");
        values.put("data-to", "2016-06-30");
        assertThatThrownBy(() -> RetrainConfig.from(new Settings(values))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("data-to");
        values.put("data-to", "next week");
        assertThatThrownBy(() -> RetrainConfig.from(new Settings(values))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("data-to");
        values.put("data-to", "2016-07-08");
        values.put("model.store.backup-path", "file:///tmp/m");
        assertThatThrownBy(() -> RetrainConfig.from(new Settings(values))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.store.backup-path");
        values.put("model.store.backup-path", "file:///tmp/m-backup");
        values.put("training.model", "forest");
        assertThatThrownBy(() -> RetrainConfig.from(new Settings(values))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("training.model");
    }
}
