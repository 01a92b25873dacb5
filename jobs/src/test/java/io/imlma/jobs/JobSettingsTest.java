package io.imlma.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.jobs.launch.RetrainJobSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The job jar's programs refuse a setting they do not know before they do anything, and list theirs for --help. */
class JobSettingsTest {
    @Test
    void eachMainRefusesAMisspeltSettingNamingItAndTheClosestOne() {
        assertThatThrownBy(() -> MeterPipelineJob.main(new String[] {"--kafka.bootstrap.server", "k:9092"}))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.setting()).isEqualTo("kafka.bootstrap.server"))
                .hasMessageContaining("MeterPipelineJob").hasMessageContaining("'kafka.bootstrap.servers'");
        assertThatThrownBy(() -> RetrainJob.main(new String[] {"--request-id", "r1", "--tuning.trails", "3"}))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("tuning.trails"))
                .hasMessageContaining("'tuning.trials'");
        assertThatThrownBy(() -> VerifySnapshotJob.main(new String[] {"--snapshot.pth", "/x"}))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("snapshot.pth"));
    }

    @Test
    void theStreamingJobKnowsWhatItPassesToTheRetrainingsItLaunches() {
        for (String key : JobSettings.retrainJob().options().stream()
                .filter(o -> !RetrainJobSpec.REQUEST_OPTIONS.contains(o)).map(o -> o.key()).toList()) {
            assertThat(JobSettings.meterPipelineJob().knows(key)).as(key).isTrue();
        }
        assertThat(JobSettings.meterPipelineJob().knows("kafka.property.security.protocol")).isTrue();
        assertThat(JobSettings.meterPipelineJob().knows("monitor.stability.delta.raise-after")).isTrue();
        assertThat(JobSettings.meterPipelineJob().knows("request-id")).as("only a retraining's").isFalse();
    }

    @Test
    void helpListsTheSettingsWithTypeAndDefault() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            RetrainJob.main(new String[] {"--help"});
        } finally {
            System.setOut(stdout);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("settings of RetrainJob")
                .containsPattern("--registry\\.pool-size +integer +8 ")
                .containsPattern("--replacement\\.rule +paper\\|strict\\|single-metric-mse +strict ");
    }
}
