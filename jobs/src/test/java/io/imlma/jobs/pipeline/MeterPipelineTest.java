package io.imlma.jobs.pipeline;

import static io.imlma.jobs.PreprocessingScenario.INFINITE;
import static io.imlma.jobs.PreprocessingScenario.MALFORMED;
import static io.imlma.jobs.PreprocessingScenario.MISSING_TIMESTAMP;
import static io.imlma.jobs.kafka.TestTopics.INTERVAL;
import static io.imlma.jobs.kafka.TestTopics.MINUTE;
import static io.imlma.jobs.kafka.TestTopics.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.imlma.common.config.Settings;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.jobs.CollectingSink;
import io.imlma.jobs.PreprocessingScenario;
import io.imlma.jobs.connect.EttFileSource;
import io.imlma.testkit.EttFixture;
import io.imlma.udf.PipelineMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole preprocessing pipeline on a Flink MiniCluster, RocksDB state and exactly-once checkpoints included. */
class MeterPipelineTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());


    @TempDir
    Path work;

    @Test
    void cleansWindowsImputesAndStandardizes() throws Exception {
        List<String> input = PreprocessingScenario.readings();

        PipelineConfig config = PipelineConfig.from(Settings.fromArgs(
                "--checkpoint.dir", work.toUri().toString(),
                "--checkpoint.interval", "100ms",
                "--standardize.warm-up-intervals", "2"));
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        env.setParallelism(2);

        PipelineOutputs out = MeterPipeline.fromJson(config, env.fromData(input).name("test-readings"), "test");
        out.features().sinkTo(CollectingSink.named("features"));
        out.deadLetters().sinkTo(CollectingSink.named("dead"));
        out.late().sinkTo(CollectingSink.named("late"));
        out.conflicts().sinkTo(CollectingSink.named("conflicts"));
        JobExecutionResult result = env.execute("meter-pipeline-test");

        List<FeatureRow> features = new ArrayList<>(CollectingSink.<FeatureRow>collected("features"));
        features.sort(Comparator.comparing(FeatureRow::meterId).thenComparing(FeatureRow::windowStart));
        // the bounded input ends with a final watermark: every interval of A closes
        assertThat(features).extracting(PreprocessingScenario::summary)
                .containsExactlyElementsOf(PreprocessingScenario.expectedFeatures(6));
        assertThat(features).allSatisfy(r -> assertThat(r.windowEnd() - r.windowStart()).isEqualTo(INTERVAL));
        assertThat(features).filteredOn(r -> !r.imputed()).allSatisfy(r -> assertThat(r.maxIngestTime()).isPositive());
        // z-scores against the observed interval means so far (population std), imputed rows not counted
        for (int k = 0; k < 6; k++) {
            assertThat(features.get(k).standardized()).isCloseTo(PreprocessingScenario.zOfA(k), within(1e-9));
        }
        assertThat(features.subList(6, 10)).extracting(FeatureRow::standardized).containsExactly(0.0, 1.0, 0.0, 0.0);

        List<DeadLetter> dead = CollectingSink.collected("dead");
        assertThat(dead).extracting(DeadLetter::payload, DeadLetter::source).containsExactlyInAnyOrder(
                tuple(MALFORMED, "test"), tuple(MISSING_TIMESTAMP, "test"), tuple(INFINITE, "test"));
        assertThat(dead).extracting(DeadLetter::reason).allSatisfy(reason -> assertThat(reason).isNotBlank())
                .anySatisfy(reason -> assertThat(reason).startsWith("malformed JSON"))
                .contains("missing field timestamp", "value is not finite: Infinity");

        assertThat(CollectingSink.<MeterReading>collected("late"))
                .extracting(MeterReading::meterId, MeterReading::timestamp, MeterReading::value)
                .containsExactly(tuple("A", T0 + 10 * MINUTE, 7.0));
        assertThat(CollectingSink.<DuplicateConflict>collected("conflicts"))
                .containsExactly(new DuplicateConflict("A", T0 + 5 * MINUTE, 3.0, 9.0));

        assertThat(counter(result, PipelineMetrics.RECORDS_IN)).isEqualTo(input.size());
        assertThat(counter(result, PipelineMetrics.DEAD_LETTERED)).isEqualTo(3);
        assertThat(counter(result, PipelineMetrics.DUPLICATES)).isEqualTo(1);
        assertThat(counter(result, PipelineMetrics.CONFLICTS)).isEqualTo(1);
        assertThat(counter(result, PipelineMetrics.LATE)).isEqualTo(1);
        assertThat(counter(result, PipelineMetrics.IMPUTED)).isEqualTo(2);
        assertThat(counter(result, PipelineMetrics.FEATURE_ROWS)).isEqualTo(10);
    }

    @Test
    void replaysAnEttFileFromGzip() throws Exception {
        List<String> lines = new ArrayList<>(EttFixture.lines(8)); // header + 2 hours
        String dropped = lines.remove(4); // 00:45 missing for every channel
        String malformed = "2016-07-01 02:00:00,1.0,2.0";
        lines.add(malformed);
        Path file = work.resolve("ETTm1.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(file))) {
            out.write(String.join("\n", lines).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        PipelineConfig config = PipelineConfig.from(Settings.fromArgs(
                "--checkpoint.dir", work.resolve("checkpoints").toUri().toString(), "--checkpoint.interval", "1s"));
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        env.setParallelism(2);
        PipelineOutputs out = MeterPipeline.fromEttLines(config, EttFileSource.lines(env, file), EttFileSource.dataset(file), 0);
        out.features().sinkTo(CollectingSink.named("ett-features"));
        out.deadLetters().sinkTo(CollectingSink.named("ett-dead"));
        env.execute("ett-replay-test");

        List<FeatureRow> rows = CollectingSink.collected("ett-features");
        long first = Instant.parse("2016-07-01T00:00:00Z").toEpochMilli();
        assertThat(rows).hasSize(7 * 8);
        assertThat(rows).extracting(FeatureRow::meterId).containsOnly("ETTm1/HUFL", "ETTm1/HULL", "ETTm1/MUFL",
                "ETTm1/MULL", "ETTm1/LUFL", "ETTm1/LULL", "ETTm1/OT");
        assertThat(rows).filteredOn(FeatureRow::imputed).hasSize(7)
                .allSatisfy(r -> assertThat(r.windowStart()).isEqualTo(first + 3 * INTERVAL));
        assertThat(dropped).startsWith("2016-07-01 00:45:00");
        // the first HUFL value of the file, unchanged
        double firstHufl = Double.parseDouble(lines.get(1).split(",")[1]);
        assertThat(rows).filteredOn(r -> r.meterId().equals("ETTm1/HUFL") && r.windowStart() == first)
                .singleElement().satisfies(r -> assertThat(r.mean()).isEqualTo(firstHufl));
        assertThat(CollectingSink.<DeadLetter>collected("ett-dead")).extracting(DeadLetter::payload, DeadLetter::source)
                .containsExactly(tuple(malformed, "ETTm1"));
    }

    /** Sum of a counter over all subtasks of the job. */
    private static long counter(JobExecutionResult result, String name) {
        Map<String, org.apache.flink.metrics.Metric> metrics = REPORTER.findMetrics(result.getJobID(), name);
        assertThat(metrics).as("metric %s", name).isNotEmpty();
        return metrics.values().stream().mapToLong(m -> ((Counter) m).getCount()).sum();
    }
}
