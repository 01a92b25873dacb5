package io.imlma.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imlma.common.config.Settings;
import io.imlma.common.ett.EttFiles;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.CollectingSink;
import io.imlma.jobs.connect.EttFileSource;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.data.EttCsv;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiments' features are production's: a slice of the bundled ETTm1 data through the streaming pipeline
 * (MiniCluster, RocksDB, checkpoints) gives the same rows as {@link EttCsv} reading the same file.
 */
class EttFeatureParityTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int DAYS = 3;
    /** Columns in another order than the published file's, and not all of them. */
    private static final List<String> CHANNELS = List.of("OT", "HUFL", "LULL");

    @TempDir
    Path work;

    @Test
    void streamingPipelineAndEttCsvComputeTheSameFeatureRows() throws Exception {
        Path file = writeSlice(work.resolve("ETTm1.csv")); // gzip content without the .gz name
        PipelineConfig config = PipelineConfig.from(Settings.fromArgs(
                "--checkpoint.dir", work.resolve("checkpoints").toUri().toString(), "--checkpoint.interval", "1s"));
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        env.setParallelism(2);
        PipelineOutputs out = MeterPipeline.fromEttLines(config, EttFileSource.lines(env, file), EttFileSource.dataset(file), 0);
        out.features().sinkTo(CollectingSink.named("parity-features"));
        out.deadLetters().sinkTo(CollectingSink.named("parity-dead"));
        env.execute("ett-feature-parity");

        assertThat(CollectingSink.<DeadLetter>collected("parity-dead")).isEmpty();
        List<FeatureRow> streamed = new ArrayList<>(CollectingSink.<FeatureRow>collected("parity-features"));
        streamed.sort(Comparator.comparing(FeatureRow::meterId).thenComparing(FeatureRow::windowStart));
        List<FeatureRow> read = new ArrayList<>();
        for (String channel : CHANNELS) {
            read.addAll(EttCsv.read(file, channel, 0, Integer.MAX_VALUE));
        }
        read.sort(Comparator.comparing(FeatureRow::meterId).thenComparing(FeatureRow::windowStart));

        assertThat(streamed).hasSize(CHANNELS.size() * 96 * DAYS).hasSameSizeAs(read);
        for (int i = 0; i < read.size(); i++) {
            FeatureRow expected = read.get(i);
            FeatureRow actual = streamed.get(i);
            assertThat(actual).as("row %d", i)
                    .usingRecursiveComparison().ignoringFields("standardized", "maxIngestTime").isEqualTo(expected);
            assertThat(actual.standardized()).as("z of %s at %d", actual.meterId(), actual.windowStart())
                    .isCloseTo(expected.standardized(), within(1e-12));
        }
        // the slice crosses the default warm-up (one day) and has real variation to score
        assertThat(read).filteredOn(FeatureRow::warmUp).hasSize(CHANNELS.size() * 95);
        assertThat(read).extracting(FeatureRow::standardized).anySatisfy(z -> assertThat(Math.abs(z)).isGreaterThan(1));
    }

    /** Header and the first {@link #DAYS} days of the bundled file, reduced to {@link #CHANNELS}, gzip. */
    private static Path writeSlice(Path target) throws Exception {
        List<String> lines;
        try (BufferedReader in = EttFiles.reader(BundledData.ettm1())) {
            lines = in.lines().limit(1 + 96L * DAYS).toList();
        }
        List<String> header = List.of(lines.get(0).split(","));
        StringBuilder slice = new StringBuilder();
        for (String line : lines) {
            String[] fields = line.split(",");
            List<String> kept = new ArrayList<>();
            for (String channel : CHANNELS) {
                kept.add(fields[header.indexOf(channel)]);
            }
            kept.add(1, fields[0]); // the date between the channels
            slice.append(String.join(",", kept)).append('\n');
        }
        assertThat(slice.toString()).startsWith("OT,date,HUFL,LULL\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            out.write(slice.toString().getBytes(StandardCharsets.UTF_8));
        }
        return target;
    }
}
