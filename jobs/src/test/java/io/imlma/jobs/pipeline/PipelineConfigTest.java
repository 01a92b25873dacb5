package io.imlma.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.udf.preprocess.Plausibility;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {

    @Test
    void defaultsNeedOnlyACheckpointDirectory() {
        PipelineConfig config = PipelineConfig.from(Settings.fromArgs("--checkpoint.dir", "file:///tmp/cp"));
        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.warmUpIntervals()).isEqualTo(96);
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badSettingsFailNamingTheSetting() {
        assertThatThrownBy(() -> PipelineConfig.from(Settings.fromArgs()))
                .isInstanceOf(ConfigException.class).extracting("setting").isEqualTo("checkpoint.dir");
        assertThatThrownBy(() -> PipelineConfig.from(Settings.fromArgs("--checkpoint.dir", "/tmp/cp")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("checkpoint.dir").hasMessageContaining("URI");
        assertThatThrownBy(() -> PipelineConfig.from(Settings.fromArgs(
                "--checkpoint.dir", "file:///tmp/cp", "--window.size", "0s")))
                .isInstanceOf(ConfigException.class).extracting("setting").isEqualTo("window.size");
        assertThatThrownBy(() -> PipelineConfig.from(Settings.fromArgs(
                "--checkpoint.dir", "file:///tmp/cp", "--standardize.warm-up-intervals", "many")))
                .isInstanceOf(ConfigException.class).extracting("setting")
                .isEqualTo("standardize.warm-up-intervals");
    }

    @Test
    void plausibilityDefaultsFitEttAndEveryCheckIsASetting() {
        PipelineConfig defaults = PipelineConfig.from(Settings.fromArgs("--checkpoint.dir", "file:///tmp/cp"));
        assertThat(defaults.plausibility()).isEqualTo(Plausibility.DEFAULTS);
        assertThat(defaults.plausibility().bounds("ETTm1/OT")).isEqualTo(new Plausibility.Bounds(-60, 150));
        assertThat(defaults.plausibility().bounds("meter-7")).isEqualTo(Plausibility.DEFAULT_BOUNDS);
        assertThat(defaults.maxAhead()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.maxBehind()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.describe()).containsEntry("plausibility.outlier.threshold", "40.0")
                .containsEntry("plausibility.bounds", Plausibility.ETT_BOUNDS.replace("1000", "1000.0")
                        .replace("-60", "-60.0").replace("150", "150.0"));

        PipelineConfig set = PipelineConfig.from(Settings.fromArgs("--checkpoint.dir", "file:///tmp/cp",
                "--plausibility.bounds", "kW=0..50", "--plausibility.default-bounds", "-1..1",
                "--plausibility.outlier.enabled", "false", "--plausibility.outlier.window", "10",
                "--clock.max-ahead", "2h"));
        assertThat(set.plausibility().channelBounds()).containsOnlyKeys("kW");
        assertThat(set.plausibility().bounds("site/kW")).isEqualTo(new Plausibility.Bounds(0, 50));
        assertThat(set.plausibility().defaultBounds()).isEqualTo(new Plausibility.Bounds(-1, 1));
        assertThat(set.plausibility().outliers()).isEqualTo(new Plausibility.OutlierRule(false, 10, 10, 40, 1));
        assertThat(set.maxAhead()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void badPlausibilityAndClockSettingsFailNamingTheSetting() {
        assertSettingFails("plausibility.bounds", "OT=150..-60");
        assertSettingFails("plausibility.bounds", "OT:1..2");
        assertSettingFails("plausibility.bounds", "OT=1..2,OT=1..3");
        assertSettingFails("plausibility.default-bounds", "-inf..0");
        assertSettingFails("plausibility.outlier.window", "0");
        assertSettingFails("plausibility.outlier.min-history", "100");
        assertSettingFails("plausibility.outlier.threshold", "-3");
        assertSettingFails("plausibility.outlier.min-scale", "0");
        assertSettingFails("plausibility.outlier.enabled", "sometimes");
        assertSettingFails("clock.max-ahead", "5min");
        assertSettingFails("clock.max-behind", "1min");
    }

    private static void assertSettingFails(String key, String value) {
        assertThatThrownBy(() -> PipelineConfig.from(Settings.fromArgs("--checkpoint.dir", "file:///tmp/cp",
                "--" + key, value))).as(key + " = " + value)
                .isInstanceOf(ConfigException.class).extracting("setting").isEqualTo(key);
    }

    @Test
    void kafkaTransactionTimeoutMustStayBelowTheBrokerMaximum() {
        assertThatThrownBy(() -> KafkaConfig.from(Settings.fromArgs(
                "--kafka.bootstrap.servers", "127.0.0.1:9092", "--kafka.transaction.timeout", "15min")))
                .isInstanceOf(ConfigException.class).extracting("setting").isEqualTo("kafka.transaction.timeout");
        assertThatThrownBy(() -> KafkaConfig.from(Settings.fromArgs()))
                .isInstanceOf(ConfigException.class).extracting("setting").isEqualTo("kafka.bootstrap.servers");

        KafkaConfig kafka = KafkaConfig.from(Settings.fromArgs(
                "--kafka.bootstrap.servers", "127.0.0.1:9092", "--kafka.property.acks", "all"));
        assertThat(kafka.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(kafka.clientProperties()).containsEntry("acks", "all");
        assertThat(kafka.startingOffsets()).isEqualTo(KafkaConfig.StartingOffsets.COMMITTED);
    }
}
