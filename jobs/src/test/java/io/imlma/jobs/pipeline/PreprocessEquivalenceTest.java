package io.imlma.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.jobs.CollectingSink;
import io.imlma.jobs.preprocess.reference.ReferencePipeline;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import io.imlma.udf.ingest.ParseReading;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-operator preprocessing ({@link MeterPipeline#preprocess}) gives what the former four-operator graph
 * ({@link ReferencePipeline}) gave: the same readings, parsed once, go through both in one job (RocksDB,
 * checkpoints, no generic types), and feature rows, late readings, conflicts, dead letters and counters are compared
 * exactly.
 */
class PreprocessEquivalenceTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final long I = 15 * MIN;

    @TempDir
    Path work;

    private static String json(String meter, long ts, double value) {
        return "{\"meterId\":\"" + meter + "\",\"timestamp\":" + ts + ",\"value\":" + value + "}";
    }

    /** Hand-picked cases, in arrival order. */
    private static List<String> cases() {
        List<String> in = new ArrayList<>();
        in.add(json("A", T0 + MIN, 1));
        in.add(json("B", T0 + 2 * MIN, 10));
        in.add(json("C", T0 + 3 * MIN, 100));        // C: one reading, then silent to the end
        in.add(json("A", T0 + 5 * MIN, 3));
        in.add(json("A", T0 + 5 * MIN, 3));          // exact re-send, interval open
        in.add("{\"meterId\":\"A\",\"timestamp\":");  // dead letter
        in.add(json("A", T0 + 5 * MIN, 9));          // conflict, interval open
        in.add(json("A", T0 + 16 * MIN, 4));
        in.add(json("A", T0 + 14 * MIN, 5));         // out of order within the bound
        in.add(json("B", T0 + 17 * MIN, 12));
        in.add(json("A", T0 + 31 * MIN, 6));         // the watermark passes the end of interval 0
        in.add(json("A", T0 + 10 * MIN, 7));         // late
        in.add(json("A", T0 + 10 * MIN, 7));         // re-send of the late reading
        in.add(json("A", T0 + MIN, 1));              // re-send of a closed interval's reading
        in.add(json("A", T0 + 14 * MIN, 8));         // conflict with a closed interval's reading
        in.add(json("A", T0 + 46 * MIN, 8));         // B silent from here on: imputed as A moves the watermark
        in.add(json("A", T0 + 61 * MIN, 9));
        in.add(json("B", T0 + 62 * MIN, 11));        // B back: the gap filled
        in.add(json("A", T0 + 76 * MIN, 10));
        in.add(json("A", T0 + 121 * MIN, 2));        // a gap of A's own
        return in;
    }

    /** Many meters with gaps, silences, re-sends, conflicts, disorder within and beyond the bound; seeded. */
    private static List<String> generated() {
        Random random = new Random(20240101);
        record Sent(long at, String json) {}
        List<Sent> sent = new ArrayList<>();
        int meters = 25;
        for (int m = 0; m < meters; m++) {
            int silentFrom = random.nextInt(120);
            int silentFor = m % 5 == 0 ? 8 + random.nextInt(10) : 0;
            for (int k = 0; k < 120; k++) {
                if (k >= silentFrom && k < silentFrom + silentFor || random.nextDouble() < 0.04) {
                    continue;
                }
                int readings = random.nextDouble() < 0.15 ? 2 + random.nextInt(2) : 1;
                for (int r = 0; r < readings; r++) {
                    long ts = T0 + k * I + random.nextInt((int) I);
                    double value = Math.round((50 + 20 * Math.sin(k / 8.0 + m) + random.nextGaussian()) * 1000) / 1000.0;
                    // arrival: on time, up to 90 s behind (within the 2-minute bound), or far behind (late)
                    double p = random.nextDouble();
                    long delay = p < 0.8 ? 0 : p < 0.98 ? random.nextInt(90_000) : 20 * MIN + random.nextInt((int) I);
                    sent.add(new Sent(ts + delay, json("m" + m, ts, value)));
                    if (random.nextDouble() < 0.03) {
                        sent.add(new Sent(ts + delay + random.nextInt((int) (40 * MIN)), json("m" + m, ts, value)));
                    }
                    if (random.nextDouble() < 0.01) {
                        sent.add(new Sent(ts + delay + random.nextInt((int) (40 * MIN)), json("m" + m, ts, value + 1)));
                    }
                }
            }
        }
        sent.sort(Comparator.comparingLong(Sent::at));
        return sent.stream().map(Sent::json).toList();
    }

    @Test
    void handPickedCasesGiveTheSameResults() throws Exception {
        Outcome outcome = runBoth(cases(), "cases");
        outcome.assertSame();
        assertThat(outcome.newFeatures).filteredOn(FeatureRow::imputed).isNotEmpty();
        assertThat(outcome.count(PipelineMetrics.DUPLICATES, "preprocess-readings")).isEqualTo(3);
        assertThat(outcome.count(PipelineMetrics.CONFLICTS, "preprocess-readings")).isEqualTo(2);
        assertThat(outcome.count(PipelineMetrics.LATE, "preprocess-readings")).isEqualTo(1);
    }

    @Test
    void generatedMetersGiveTheSameResults() throws Exception {
        Outcome outcome = runBoth(generated(), "generated");
        outcome.assertSame();
        // the input exercised every path
        assertThat(outcome.count(PipelineMetrics.DUPLICATES, "preprocess-readings")).isPositive();
        assertThat(outcome.count(PipelineMetrics.CONFLICTS, "preprocess-readings")).isPositive();
        assertThat(outcome.count(PipelineMetrics.LATE, "preprocess-readings")).isPositive();
        assertThat(outcome.count(PipelineMetrics.IMPUTED, "preprocess-readings")).isGreaterThan(20);
        assertThat(outcome.newFeatures).filteredOn(r -> r.count() > 1).isNotEmpty();
    }

    private Outcome runBoth(List<String> input, String name) throws Exception {
        PipelineConfig config = PipelineConfig.from(Settings.fromArgs(
                "--checkpoint.dir", work.resolve(name).toUri().toString(),
                "--checkpoint.interval", "100ms",
                "--standardize.warm-up-intervals", "4"));
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        env.setParallelism(2);
        env.getConfig().disableGenericTypes(); // no Kryo anywhere: the job fails to build if a type needs it
        SingleOutputStreamOperator<MeterReading> parsed = env.fromData(input).name("input").setParallelism(1)
                .process(new ParseReading("test", config.maxFuture())).name("parse").uid("parse").setParallelism(1);
        var deadLetters = parsed.getSideOutput(SideOutputs.DEAD_LETTERS);

        PipelineOutputs now = MeterPipeline.preprocess(config, parsed, deadLetters);
        PipelineOutputs before = ReferencePipeline.preprocess(config, parsed, deadLetters,
                MeterPipeline.watermarks(config));
        sink(now, name + "-new");
        sink(before, name + "-old");
        JobExecutionResult result = env.execute("preprocess-equivalence-" + name);
        return new Outcome(result, name);
    }

    private static void sink(PipelineOutputs out, String prefix) {
        out.features().sinkTo(CollectingSink.named(prefix + "-features")).name(prefix + "-features");
        out.late().sinkTo(CollectingSink.named(prefix + "-late")).name(prefix + "-late");
        out.conflicts().sinkTo(CollectingSink.named(prefix + "-conflicts")).name(prefix + "-conflicts");
        out.deadLetters().sinkTo(CollectingSink.named(prefix + "-dead")).name(prefix + "-dead");
    }

    private static final class Outcome {
        final JobExecutionResult result;
        final String name;
        final List<FeatureRow> newFeatures;

        Outcome(JobExecutionResult result, String name) {
            this.result = result;
            this.name = name;
            this.newFeatures = features(name + "-new");
        }

        static List<FeatureRow> features(String prefix) {
            List<FeatureRow> rows = new ArrayList<>(CollectingSink.<FeatureRow>collected(prefix + "-features"));
            rows.sort(Comparator.comparing(FeatureRow::meterId).thenComparing(FeatureRow::windowStart));
            return rows;
        }

        static List<MeterReading> late(String prefix) {
            List<MeterReading> late = new ArrayList<>(CollectingSink.<MeterReading>collected(prefix + "-late"));
            late.sort(Comparator.comparing(MeterReading::meterId).thenComparing(MeterReading::timestamp)
                    .thenComparing(MeterReading::value));
            return late;
        }

        static List<DuplicateConflict> conflicts(String prefix) {
            List<DuplicateConflict> c = new ArrayList<>(CollectingSink.<DuplicateConflict>collected(prefix + "-conflicts"));
            c.sort(Comparator.comparing(DuplicateConflict::meterId).thenComparing(DuplicateConflict::timestamp)
                    .thenComparing(DuplicateConflict::rejectedValue));
            return c;
        }

        void assertSame() {
            String now = name + "-new";
            String before = name + "-old";
            assertThat(newFeatures).isNotEmpty().containsExactlyElementsOf(features(before));
            assertThat(late(now)).containsExactlyElementsOf(late(before));
            assertThat(conflicts(now)).containsExactlyElementsOf(conflicts(before));
            assertThat(CollectingSink.<DeadLetter>collected(now + "-dead")).isNotNull()
                    .containsExactlyInAnyOrderElementsOf(CollectingSink.<DeadLetter>collected(before + "-dead"));
            assertThat(count(PipelineMetrics.DUPLICATES, "preprocess-readings"))
                    .isEqualTo(count(PipelineMetrics.DUPLICATES, "deduplicate"));
            assertThat(count(PipelineMetrics.CONFLICTS, "preprocess-readings"))
                    .isEqualTo(count(PipelineMetrics.CONFLICTS, "deduplicate"))
                    .isEqualTo(conflicts(now).size());
            assertThat(count(PipelineMetrics.LATE, "preprocess-readings"))
                    .isEqualTo(count(PipelineMetrics.LATE, "count-late-readings"))
                    .isEqualTo(late(now).size());
            assertThat(count(PipelineMetrics.IMPUTED, "preprocess-readings"))
                    .isEqualTo(count(PipelineMetrics.IMPUTED, "impute-missing-intervals"))
                    .isEqualTo(newFeatures.stream().filter(FeatureRow::imputed).count());
            assertThat(count(PipelineMetrics.FEATURE_ROWS, "preprocess-readings"))
                    .isEqualTo(count(PipelineMetrics.FEATURE_ROWS, "standardize-online"))
                    .isEqualTo(newFeatures.size());
        }

        /** Sum over subtasks of a counter of the operator {@code operator}. */
        long count(String counter, String operator) {
            var metrics = REPORTER.findMetrics(result.getJobID(), counter);
            var ofOperator = metrics.entrySet().stream().filter(e -> e.getKey().contains("." + operator + "."))
                    .toList();
            assertThat(ofOperator).as("counter %s of %s in %s", counter, operator, metrics.keySet()).isNotEmpty();
            return ofOperator.stream().mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
        }
    }
}
