package io.imlma.bench;

import io.imlma.bench.cli.Arguments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The paper's experiments on this system's own code, from one command:
 * {@code ./bin/imlma experiments --mode quick|full [--input <ETT csv.gz>] [--channel HUFL] [--out docs]}.
 * Writes {@code <out>/results.md} and {@code <out>/figures/*.png}; see {@link ExperimentConfig} for the sizes.
 */
public final class Experiments {
    /** Section titles, in page order; the smoke test checks that each is present. */
    public static final List<String> SECTIONS = List.of(
            "Tuning", "Replacement policies", "Trigger policies", "Time from trigger", "Prediction stability",
            "API latency",
            "Streaming pipeline", "Day-ahead forecasts on the ETT benchmark protocol", "Day-ahead tuning");

    private Experiments() {}

    public static void main(String[] args) throws Exception {
        Arguments.run(args, "experiments", "The paper's tables and figures on this system's own code: writes "
                + "<out>/results.md and <out>/figures/*.png.", ExperimentConfig::from, config -> {
                    Path page = run(config, String.join(" ", args));
                    System.out.println("Results: " + page.toAbsolutePath());
                });
    }

    /** Runs every experiment and writes the results page; returns its path. */
    public static Path run(ExperimentConfig config, String arguments) throws Exception {
        Progress progress = new Progress(System.out);
        Instant started = Instant.now();
        String loadAtStart = loadAverage();
        progress.step("experiments, %s mode: %s channel %s → %s", config.mode(), config.input(), config.channel(),
                config.out());
        Files.createDirectories(config.figures());
        LoadData data = LoadData.read(config);
        progress.step("read %d rows (%.0f days)", data.rows().size(), data.days());

        List<Section> sections = new ArrayList<>();
        sections.add(TuningExperiment.run(config, data, progress));
        ReplacementExperiment.Result replacement = ReplacementExperiment.run(config, data, progress);
        sections.add(replacement.section());
        sections.add(TriggerExperiment.run(config, data, progress));
        sections.add(UpdateLatencyExperiment.run(config, progress));
        sections.add(StabilityExperiment.run(config, data, replacement.defaultRuleChampions(),
                replacement.servedUntil(), progress));
        sections.add(ServingBenchmarks.api(config, progress));
        sections.add(ServingBenchmarks.pipeline(config, progress));
        sections.add(DayAheadExperiments.protocol(config, progress));
        sections.add(DayAheadExperiments.tuning(config, progress));

        long seconds = ChronoUnit.SECONDS.between(started, Instant.now());
        String page = header(config, arguments, data, seconds, loadAtStart) + String.join("", sections.stream()
                .map(Section::render).toList()) + differences(sections);
        Path file = config.out().resolve("results.md");
        Files.writeString(file, page, StandardCharsets.UTF_8);
        progress.step("wrote %s and %d figures", file, sections.stream().mapToInt(s -> s.figures().size()).sum());
        return file;
    }

    private static String header(ExperimentConfig config, String arguments, LoadData data, long seconds,
                                 String loadAtStart) {
        return String.format(Locale.ROOT, """
                # Results: the paper's experiments on this system

                Produced by `./bin/imlma experiments %s` (%s mode) on %s in %d min %d s.

                - **Data:** `%s`, channel %s, %d rows of 15-minute intervals from %s to %s (ETTm1: Zhou et al., \
                Informer, AAAI 2021; CC BY-ND 4.0; unmodified). The paper used its own power-metering data, so \
                absolute errors are not comparable; the comparisons between methods are.
                - **Machine:** %s; %d cores visible to the JVM, shared with other work while this ran (load \
                average over 1 min: %s at the start, %s at the end), so the API and pipeline figures vary from run \
                to run; Java %s; %s.
                - **Code:** every number comes from the system's own classes — `TuningDriver` with \
                `BayesianOptimizer`/`RandomSearch`/`GridSearch`, `ForecastObjective`, `LinearRegression`, \
                `Evaluation`/`ReplacementPolicy`, `RetrainTrigger` and `DriftMonitor`/`StabilityMonitor` in Flink's \
                operator test harnesses, the meter pipeline with `ModelLoop` and `RetrainJob` on a local Flink \
                cluster, `PredictBenchmark`, `PipelineBenchmark` — driven by `io.imlma.bench`.
                - Figures: `%s/figures/`. The quick mode (CI) uses less data and fewer trials; only full-mode \
                numbers are meant for comparison.

                """, arguments.isBlank() ? "" : arguments, config.mode(), Instant.now().truncatedTo(ChronoUnit.SECONDS),
                seconds / 60, seconds % 60, config.input().getFileName(), config.channel(), data.rows().size(),
                Instant.ofEpochMilli(data.start()), Instant.ofEpochMilli(data.end()), cpuModel(),
                Runtime.getRuntime().availableProcessors(), loadAtStart, loadAverage(),
                System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), config.out());
    }

    /** The closing list: each experiment's own comparison with the paper, computed from its numbers. */
    private static String differences(List<Section> sections) {
        StringBuilder list = new StringBuilder("""
                ## Where this system differs from the paper

                Each line is phrased by its experiment from the numbers above (full mode is the one to compare).

                """);
        sections.stream().flatMap(s -> s.differences().stream()).forEach(d -> list.append("- ").append(d)
                .append('\n'));
        return list.toString();
    }

    /** The 1-minute load average, or "unknown" where /proc/loadavg is missing. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst().orElse("unknown CPU");
            } catch (IOException e) {
                return "unknown CPU";
            }
        }
        return "unknown CPU";
    }
}
