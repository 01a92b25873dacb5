package io.imlma.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.jobs.connect.KafkaConfig;
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
