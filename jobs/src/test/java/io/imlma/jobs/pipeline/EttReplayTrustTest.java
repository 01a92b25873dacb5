package io.imlma.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.jobs.CollectingSink;
import io.imlma.testkit.EttFixture;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.ingest.PlainOrGzipTextLineFormat;
import io.imlma.udf.preprocess.Plausibility;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input can't poison the pipeline: about 8,000 real ETTm1 rows, in two files (the second with its columns in
 * another order), replayed clean, with one row re-dated three months ahead, and with more than 10,000 malformed
 * lines mixed in. The feature rows stay those of the clean replay; every malformed line is accounted for.
 */
class EttReplayTrustTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int ROWS = 8000;
    private static final int SPLIT = 4000;
    private static final List<String> CHANNELS = List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
    /** The second file's layout: the date between the channels, in another order. */
    private static final List<String> SECOND_LAYOUT =
            List.of("OT", "LULL", "date", "HUFL", "MUFL", "HULL", "LUFL", "MULL");
    private static final List<String> FIRST_LAYOUT = List.of("date", "HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL",
            "OT");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final long DAY = 86_400_000L;


    /** Real rows: date, then the channels in {@link #CHANNELS} order, as the file has them. */
    private static final List<String[]> REAL =
            EttFixture.lines(ROWS).subList(1, ROWS + 1).stream().map(l -> l.split(",")).toList();
    private static Replay clean;

    @TempDir
    static Path work;

    /** The clean replay, once for the class. */
    private static synchronized Replay clean() throws Exception {
        if (clean == null) {
            clean = replay("clean", new Input(new Random(0), 0).files());
        }
        return clean;
    }

    @Test
    void aRowReDatedThreeMonthsAheadIsQuarantinedAndDelaysNoRealReading() throws Exception {
        Input input = new Input(new Random(0), 0);
        String[] redated = REAL.get(40).clone();
        redated[0] = format(timestamp(redated[0]) + 90 * DAY);
        input.first.get(10).add(line(redated, FIRST_LAYOUT));
        Replay skewed = replay("skewed", input.files());
        Replay clean = clean();

        assertThat(skewed.deadLetters).hasSize(CHANNELS.size()).allSatisfy(d -> assertThat(d.reason())
                .startsWith("clock skew future: timestamp " + Instant.ofEpochMilli(timestamp(redated[0])) + " is "));
        assertThat(skewed.late).isEmpty();
        assertThat(skewed.features).isEqualTo(clean.features);
        assertThat(skewed.imputed()).isEqualTo(clean.imputed());
        print(Map.of("clean", clean, "one row re-dated +90 days", skewed));
    }

    @Test
    void tenThousandMalformedLinesLeaveTheFeatureRowsOfTheCleanReplay() throws Exception {
        Input input = new Input(new Random(15), 10_500);
        Replay fuzzed = replay("fuzzed", input.files());
        Replay clean = clean();
        print(Map.of("clean", clean, "fuzzed", fuzzed));

        assertThat(input.malformed()).isGreaterThanOrEqualTo(10_000);
        // every line the parser can't read is a dead letter, with a reason, and nothing else is
        List<DeadLetter> unparsed = fuzzed.deadLetters.stream().filter(d -> d.source().equals("ETTm1")).toList();
        assertThat(unparsed).allSatisfy(d -> assertThat(d.reason()).isNotBlank());
        assertThat(unparsed.stream().map(DeadLetter::payload).sorted().toList())
                .isEqualTo(input.unparsable.stream().sorted().toList());
        // readings quarantined or implausible: exactly the ones the fuzzer made so
        assertThat(count(fuzzed, "clock skew future")).isEqualTo(CHANNELS.size() * input.ahead);
        assertThat(count(fuzzed, "clock skew past")).isEqualTo(CHANNELS.size() * input.pastResends);
        assertThat(count(fuzzed, "out of bounds")).isEqualTo(input.huge);
        assertThat(count(fuzzed, "outlier")).isZero();
        assertThat(fuzzed.counter(PipelineMetrics.DUPLICATES)).isEqualTo(input.duplicates);
        assertThat(fuzzed.conflicts).isEmpty();
        assertThat(fuzzed.late).isEmpty();
        assertThat(clean.deadLetters).isEmpty();
        assertThat(clean.counter(PipelineMetrics.DUPLICATES)).isZero();

        assertThat(fuzzed.features).hasSize(CHANNELS.size() * ROWS).isEqualTo(clean.features);
        assertThat(fuzzed.features).allSatisfy(r -> {
            Plausibility.Bounds bounds = Plausibility.DEFAULTS.bounds(r.meterId());
            assertThat(Double.isFinite(r.standardized())).as("z of %s", r).isTrue();
            for (double v : new double[] {r.mean(), r.min(), r.max()}) {
                assertThat(v).as("%s", r).isBetween(bounds.min(), bounds.max());
            }
        });
        assertThat(input.secondLayoutRows).as("the second file was read with its own header").isPositive();
    }

    private static long count(Replay replay, String reasonStart) {
        return replay.deadLetters.stream().filter(d -> d.reason().startsWith(reasonStart + ":")).count();
    }

    // ---------------------------------------------------------------------------------------------------------
    // the input

    private static long timestamp(String date) {
        return LocalDateTime.parse(date, DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static String format(long timestamp) {
        return DATE.format(LocalDateTime.ofEpochSecond(timestamp / 1000, 0, ZoneOffset.UTC));
    }

    /** A row (date, channels in {@link #CHANNELS} order) as a line of a file with {@code layout}. */
    private static String line(String[] row, List<String> layout) {
        List<String> fields = new ArrayList<>();
        for (String column : layout) {
            fields.add(column.equals("date") ? row[0] : row[1 + CHANNELS.indexOf(column)]);
        }
        return String.join(",", fields);
    }

    /**
     * The real rows in two files, and after each real row the malformed lines the fuzzer put there. Bookkeeping of
     * what each malformed line must become: a dead letter of the parser, quarantined readings, an implausible value,
     * duplicates.
     */
    private static final class Input {
        final Random random;
        /** per real row, the lines that follow it (strings or raw bytes) */
        final List<List<Object>> first = new ArrayList<>();
        final List<List<Object>> second = new ArrayList<>();
        final List<String> unparsable = new ArrayList<>();
        int ahead;
        int pastResends;
        int resends;
        int negativeZeros;
        int huge;
        long duplicates;
        int headers;
        int secondLayoutRows;

        Input(Random random, int malformed) {
            this.random = random;
            for (int i = 0; i < ROWS; i++) {
                (i < SPLIT ? first : second).add(new ArrayList<>());
            }
            secondLayoutRows = ROWS - SPLIT;
            Set<Integer> aheadAt = new HashSet<>();
            for (int n = 0; n < malformed; n++) {
                int at = random.nextInt(ROWS);
                fuzz(at, aheadAt);
            }
        }

        int malformed() {
            return unparsable.size() + ahead + pastResends + huge + headers + resends + negativeZeros;
        }

        private List<String> layout(int at) {
            return at < SPLIT ? FIRST_LAYOUT : SECOND_LAYOUT;
        }

        private List<Object> after(int at) {
            return at < SPLIT ? first.get(at) : second.get(at - SPLIT);
        }

        private void unparsable(int at, String line) {
            after(at).add(line);
            unparsable.add(line);
        }

        private String[] row(int at) {
            return REAL.get(at).clone();
        }

        /** Index in a line of {@code layout} of the column of a row field (0 = date). */
        private static int column(List<String> layout, int field) {
            return layout.indexOf(field == 0 ? "date" : CHANNELS.get(field - 1));
        }

        private void fuzz(int at, Set<Integer> aheadAt) {
            List<String> layout = layout(at);
            String[] row = row(at);
            int field = 1 + random.nextInt(CHANNELS.size());
            int kind = random.nextInt(100);
            if (kind < 18) { // garbage
                StringBuilder s = new StringBuilder();
                int length = random.nextInt(120);
                for (int i = 0; i < length; i++) {
                    char c = (char) (' ' + random.nextInt(95));
                    s.append(c == ',' ? ';' : c);
                }
                String garbage = s.toString().trim().equalsIgnoreCase("date") ? "dat" : s.toString();
                unparsable(at, garbage);
            } else if (kind < 36) { // wrong field count
                List<String> fields = new ArrayList<>(Arrays.asList(line(row, layout).split(",")));
                if (random.nextBoolean()) {
                    fields.remove(random.nextInt(fields.size()));
                } else {
                    fields.add(random.nextInt(fields.size() + 1), Double.toString(random.nextDouble()));
                }
                unparsable(at, String.join(",", fields));
            } else if (kind < 45) { // an empty field, the date's or a value's
                row[random.nextInt(row.length)] = random.nextBoolean() ? "" : "  ";
                unparsable(at, line(row, layout));
            } else if (kind < 54) { // text in a number
                row[field] = List.of("abc", "1.2.3", "12kW", "0x1F", "--1", "1;5", "true")
                        .get(random.nextInt(7));
                unparsable(at, line(row, layout));
            } else if (kind < 61) { // not finite
                row[field] = List.of("NaN", "Infinity", "-Infinity", "nan").get(random.nextInt(4));
                unparsable(at, line(row, layout));
            } else if (kind < 70) { // impossible dates
                row[0] = List.of("2016-02-30 10:00:00", "2016-13-01 00:00:00", "2016-07-01 24:00:00",
                        "2016-07-32 00:00:00", "0000-00-00 00:00:00", "2016-07-01T00:00:00", "2016/07/01 00:00:00",
                        "2017-02-29 00:15:00").get(random.nextInt(8));
                unparsable(at, line(row, layout));
            } else if (kind < 76) { // non-UTF-8 bytes inside a field
                byte[] text = line(row, layout).getBytes(StandardCharsets.UTF_8);
                int k;
                do {
                    k = random.nextInt(text.length);
                } while (text[k] == ',');
                byte[][] invalid = {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
                byte[] bad = invalid[random.nextInt(invalid.length)];
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                bytes.write(text, 0, k);
                bytes.write(bad, 0, bad.length);
                bytes.write(text, k, text.length - k);
                after(at).add(bytes.toByteArray());
                unparsable.add(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            } else if (kind < 77) { // very long lines
                if (random.nextBoolean()) {
                    row[field] = "1".repeat(200_000);
                    unparsable(at, line(row, layout));
                } else {
                    unparsable(at, "x,".repeat(75_000));
                }
            } else if (kind < 78) { // the header again
                after(at).add(String.join(",", layout));
                headers++;
            } else if (kind < 86) { // an exact re-send of an earlier line of the same file
                int from = (at < SPLIT ? 0 : SPLIT) + random.nextInt(at - (at < SPLIT ? 0 : SPLIT) + 1);
                after(at).add(line(REAL.get(from), layout));
                if (timestamp(REAL.get(from)[0]) < timestamp(REAL.get(at)[0]) - 7 * DAY) {
                    pastResends++;
                } else {
                    resends++;
                    duplicates += CHANNELS.size();
                }
            } else if (kind < 91) { // 1e308 in a re-send of the row just read
                row[field] = List.of("1e308", "-1e308", "1.7976931348623157E308").get(random.nextInt(3));
                after(at).add(line(row, layout));
                huge++;
                duplicates += CHANNELS.size() - 1;
            } else if (kind < 95) { // negative zero: a re-send of a recent row with a zero written -0.0
                for (int back = 0; back < 96 && at - back >= (at < SPLIT ? 0 : SPLIT); back++) {
                    String[] recent = row(at - back);
                    for (int f = 1; f < recent.length; f++) {
                        if (Double.parseDouble(recent[f]) == 0) {
                            recent[f] = "-0.0";
                            after(at).add(line(recent, layout));
                            negativeZeros++;
                            duplicates += CHANNELS.size();
                            return;
                        }
                    }
                }
                fuzz(at, aheadAt); // no zero nearby: something else
            } else { // a copy of a row a day or more ahead: a skewed clock, once after a real row
                int later = at + 96 + random.nextInt(ROWS);
                if (later >= ROWS || !aheadAt.add(at)) {
                    fuzz(at, aheadAt);
                    return;
                }
                after(at).add(line(REAL.get(later), layout));
                ahead++;
            }
        }

        /** The two files: each a header, then every real row followed by its malformed lines. */
        List<Path> files() throws Exception {
            Path dir = Files.createTempDirectory(work, "replay");
            return List.of(write(dir.resolve("ETTm1-1.csv"), FIRST_LAYOUT, first, 0),
                    write(dir.resolve("ETTm1-2.csv"), SECOND_LAYOUT, second, SPLIT));
        }

        private Path write(Path file, List<String> layout, List<List<Object>> after, int offset)
                throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write((String.join(",", layout) + "\n").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < after.size(); i++) {
                out.write((line(REAL.get(offset + i), layout) + "\n").getBytes(StandardCharsets.UTF_8));
                for (Object extra : after.get(i)) {
                    out.write(extra instanceof byte[] b ? b : ((String) extra).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            Files.write(file, out.toByteArray());
            return file;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the replay

    private record Replay(long seconds, long linesIn, List<FeatureRow> features, List<DeadLetter> deadLetters,
            List<MeterReading> late, List<DuplicateConflict> conflicts, Map<String, Long> counters) {
        long imputed() {
            return features.stream().filter(FeatureRow::imputed).count();
        }

        long counter(String name) {
            return counters.getOrDefault(name, 0L);
        }
    }

    /** The files, in order, through {@link MeterPipeline#fromEttLines} on the MiniCluster. */
    private static Replay replay(String name, List<Path> files) throws Exception {
        PipelineConfig config = PipelineConfig.from(Settings.fromArgs(
                "--checkpoint.dir", work.resolve(name + "-checkpoints").toUri().toString(),
                "--checkpoint.interval", "5s"));
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        env.setParallelism(2);
        // one file source of several files hands them out in no particular order (seen: the last first); a replay
        // of consecutive files needs them one after the other
        HybridSource.HybridSourceBuilder<String, ?> source = HybridSource.builder(file(files.get(0)));
        for (Path file : files.subList(1, files.size())) {
            source = source.addSource(file(file));
        }
        DataStream<String> lines = env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "replay-" + name,
                        Types.STRING).uid("replay").setParallelism(1);
        PipelineOutputs out = MeterPipeline.fromEttLines(config, lines, "ETTm1", 0);
        out.features().sinkTo(CollectingSink.named(name + "-features"));
        out.deadLetters().sinkTo(CollectingSink.named(name + "-dead"));
        out.late().sinkTo(CollectingSink.named(name + "-late"));
        out.conflicts().sinkTo(CollectingSink.named(name + "-conflicts"));
        long started = System.nanoTime();
        JobExecutionResult result = env.execute("ett-replay-" + name);
        long seconds = Math.round((System.nanoTime() - started) / 1e9);

        List<FeatureRow> features = new ArrayList<>(CollectingSink.<FeatureRow>collected(name + "-features"));
        features.sort(Comparator.comparing(FeatureRow::meterId).thenComparing(FeatureRow::windowStart));
        // ingest times differ from run to run; everything else must not
        features.replaceAll(r -> new FeatureRow(r.meterId(), r.windowStart(), r.windowEnd(), r.mean(), r.min(),
                r.max(), r.count(), r.standardized(), r.imputed(), r.warmUp(), 0));
        Map<String, Long> counters = new TreeMap<>();
        for (String counter : List.of(PipelineMetrics.RECORDS_IN, PipelineMetrics.DUPLICATES,
                PipelineMetrics.CONFLICTS, PipelineMetrics.LATE, PipelineMetrics.IMPUTED, PipelineMetrics.REJECTED)) {
            counters.put(counter, REPORTER.findMetrics(result.getJobID(), counter).values().stream()
                    .mapToLong(m -> ((Counter) m).getCount()).sum());
        }
        long linesIn = 0;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                linesIn += b == '\n' ? 1 : 0;
            }
        }
        return new Replay(seconds, linesIn, features, CollectingSink.collected(name + "-dead"),
                CollectingSink.collected(name + "-late"), CollectingSink.collected(name + "-conflicts"), counters);
    }

    private static FileSource<String> file(Path file) {
        return FileSource.forRecordStreamFormat(new PlainOrGzipTextLineFormat(),
                new org.apache.flink.core.fs.Path(file.toUri())).build();
    }

    /** Dead letters by kind of reason: the reason without its particulars. */
    private static String kind(DeadLetter d) {
        String r = d.reason();
        if (r.startsWith("expected ")) {
            return "parse: wrong field count";
        }
        if (r.startsWith("date is not")) {
            return "parse: bad date";
        }
        if (r.startsWith("non-numeric value")) {
            return "parse: non-numeric value";
        }
        if (r.startsWith("value of ")) {
            return "parse: value not finite";
        }
        int colon = r.indexOf(':');
        return colon > 0 ? r.substring(0, colon) : r;
    }

    private static void print(Map<String, Replay> runs) {
        Map<String, Replay> ordered = new LinkedHashMap<>();
        runs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        Map<String, List<Object>> table = new LinkedHashMap<>();
        Set<String> kinds = new java.util.TreeSet<>();
        ordered.values().forEach(r -> r.deadLetters.forEach(d -> kinds.add(kind(d))));
        for (Replay r : ordered.values()) {
            Map<String, Long> byKind = r.deadLetters.stream().collect(Collectors.groupingBy(
                    EttReplayTrustTest::kind, Collectors.counting()));
            table.computeIfAbsent("lines in (header lines included)", k -> new ArrayList<>()).add(r.linesIn);
            table.computeIfAbsent("records in (parser)", k -> new ArrayList<>()).add(r.counter(PipelineMetrics.RECORDS_IN));
            table.computeIfAbsent("dead letters, all", k -> new ArrayList<>()).add(r.deadLetters.size());
            for (String kind : kinds) {
                table.computeIfAbsent("  " + kind, k -> new ArrayList<>()).add(byKind.getOrDefault(kind, 0L));
            }
            table.computeIfAbsent("quarantined (clock skew readings)", k -> new ArrayList<>()).add(
                    r.deadLetters.stream().filter(d -> d.reason().startsWith("clock skew")).count());
            table.computeIfAbsent("duplicates (re-sent readings)", k -> new ArrayList<>())
                    .add(r.counter(PipelineMetrics.DUPLICATES));
            table.computeIfAbsent("conflicts", k -> new ArrayList<>()).add(r.conflicts.size());
            table.computeIfAbsent("late readings", k -> new ArrayList<>()).add(r.late.size());
            table.computeIfAbsent("feature rows", k -> new ArrayList<>()).add(r.features.size());
            table.computeIfAbsent("imputed rows", k -> new ArrayList<>()).add(r.imputed());
            table.computeIfAbsent("job run time, s", k -> new ArrayList<>()).add(r.seconds);
        }
        StringBuilder s = new StringBuilder(String.format("%n%-40s", ""));
        ordered.keySet().forEach(k -> s.append(String.format("%28s", k)));
        table.forEach((row, values) -> {
            s.append(String.format("%n%-40s", row));
            values.forEach(v -> s.append(String.format("%28s", v)));
        });
        System.out.println(s);
    }
}
