package io.imlma.bench;

import io.imlma.bench.pipeline.PipelineBenchmark;
import io.imlma.bench.serving.PredictBenchmark;
import io.imlma.bench.serving.PredictBenchmark.Level;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/** Fig. 4 and the pipeline section, from the figures {@link PredictBenchmark} and {@link PipelineBenchmark} return. */
final class ServingBenchmarks {
    private ServingBenchmarks() {}

    static Section api(ExperimentConfig config, Progress progress) throws Exception {
        progress.step("API latency: PredictBenchmark, wrk for %d s per level", config.apiSecondsPerLevel());
        PredictBenchmark.Figures figures = PredictBenchmark.run(
                new PredictBenchmark.Options(config.apiSecondsPerLevel()));
        figures.printTo(System.out);
        List<Level> levels = figures.levels();
        Section section = new Section("API latency under concurrency (Fig. 4)");
        section.text(String.format(Locale.ROOT, """
                `PredictBenchmark` (`./bin/imlma %s --seconds-per-level %d`): the real API (Javalin) on loopback \
                over an H2 registry with a linear champion trained on ETTm1 OT, driven by `wrk` in its own process \
                (2 threads, closed loop, POST /predict with 96 recent values) for %d s per connection level, after \
                a warm-up. Server and load generator share this machine's cores; the table gives each one's CPU \
                time and the load average as the level started.%s
                """, PredictBenchmark.COMMAND, config.apiSecondsPerLevel(), config.apiSecondsPerLevel(),
                config.full() ? "" : " Quick mode: short levels, indicative only; `--mode full` runs 20 s per level."));
        MarkdownTable table = new MarkdownTable("connections", "requests", "mean (ms)", "p50 (ms)", "p99 (ms)",
                "max (ms)", "requests/s", "errors", "server CPU (s)", "wrk CPU (s)", "load average");
        for (Level l : levels) {
            table.row(l.clients(), l.requests(), l.meanMs(), l.p50Ms(), l.p99Ms(), l.maxMs(), l.requestsPerSecond(),
                    l.errors(), l.serverCpuSeconds(), l.loadGeneratorCpuSeconds(), l.loadAverage());
        }
        section.table(table);
        section.table(new MarkdownTable("measure", "this system", "paper")
                .row("mean latency at the highest concurrency (" + levels.get(levels.size() - 1).clients() + ")",
                        MarkdownTable.number(levels.get(levels.size() - 1).meanMs()) + " ms", "< 480 ms at 500"));
        XYChart chart = Charts.lines("POST /predict latency vs concurrent clients", "concurrent clients",
                "latency (ms)");
        double[] x = levels.stream().mapToDouble(Level::clients).toArray();
        chart.addSeries("mean", x, levels.stream().mapToDouble(Level::meanMs).toArray());
        chart.addSeries("p50", x, levels.stream().mapToDouble(Level::p50Ms).toArray());
        chart.addSeries("p99", x, levels.stream().mapToDouble(Level::p99Ms).toArray());
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        Charts.save(chart, config.figures().resolve("api-latency.png"));
        section.figure("POST /predict latency vs concurrency", "api-latency.png");
        readApi(section, levels, config.apiP99TargetMs());
        return section;
    }

    /** The paper's bound on mean latency at 500 concurrent requests. */
    private static final double PAPER_MEAN_MS = 480;

    private static void readApi(Section section, List<Level> levels, double p99TargetMs) {
        Level top = levels.get(levels.size() - 1);
        Level fastest = levels.stream().max(Comparator.comparingDouble(Level::requestsPerSecond)).orElseThrow();
        long errors = levels.stream().mapToLong(Level::errors).sum();
        section.reading(String.format(Locale.ROOT, "At %d concurrent clients the mean latency is %s, %s. "
                        + "Throughput peaks at %.0f requests/s (%d clients)%s. The p99 is %s at %d "
                        + "clients, %s a p99 target of %.0f ms; wrk and the server share this machine's %d cores, so "
                        + "the load generator's CPU use (in the table) is in every number. %d requests failed.",
                top.clients(), Phrases.millis(top.meanMs()),
                Phrases.versus(top.meanMs(), PAPER_MEAN_MS, "the paper's bound of 480 ms"),
                fastest.requestsPerSecond(), fastest.clients(), fastest != top && top.meanMs() > fastest.meanMs()
                        ? "; more clients than that only queue, and their latency grows" : "",
                Phrases.millis(top.p99Ms()), top.clients(),
                top.p99Ms() <= p99TargetMs ? "within" : "missing", p99TargetMs,
                Runtime.getRuntime().availableProcessors(), errors));
        section.difference(String.format(Locale.ROOT, "**API latency** — mean %s at %d clients: %s than the "
                        + "paper's < 480 ms at 500%s; p99 %s at %d clients %s a %.0f ms target on %d shared cores.",
                Phrases.millis(top.meanMs()), top.clients(), Phrases.verdict(top.meanMs(), PAPER_MEAN_MS, true),
                top.clients() == 500 ? "" : " (this run's highest level is not 500)",
                Phrases.millis(top.p99Ms()), top.clients(), top.p99Ms() <= p99TargetMs ? "meets" : "misses",
                p99TargetMs, Runtime.getRuntime().availableProcessors()));
    }

    static Section pipeline(ExperimentConfig config, Progress progress) throws Exception {
        progress.step("pipeline: PipelineBenchmark, %d meters × %d intervals", config.pipelineMeters(),
                config.pipelineIntervals());
        PipelineBenchmark.Figures figures = PipelineBenchmark.run(
                PipelineBenchmark.Options.of(config.pipelineMeters(), config.pipelineIntervals()));
        figures.printTo(System.out);
        Section section = new Section("Streaming pipeline throughput and latency");
        section.text(String.format(Locale.ROOT, """
                `PipelineBenchmark` (`./bin/imlma %s --meters %d --intervals %d`): generated JSON \
                readings (2 %% exact re-sends) through parse → dedup → 15-minute windows → impute → standardize on a \
                local Flink cluster, parallelism 1, RocksDB state, exactly-once checkpoints every 10 s. Latency is \
                from a window's last reading entering the pipeline to its feature row, including the wait for the \
                watermark. On a shared 2-core machine the CPU-based rate is the more stable figure.%s
                """, PipelineBenchmark.COMMAND, config.pipelineMeters(), config.pipelineIntervals(), config.full() ? ""
                : " Quick mode: a short run dominated by start-up; `--mode full` runs 10 000 meters × 60 intervals."));
        String perCore = String.format(Locale.ROOT, "%,.0f", figures.recordsPerSecondPerCore());
        section.table(new MarkdownTable("measure", "this system", "paper")
                .row("throughput (records/s, wall, 1 core)", perCore, "–")
                .row("records per CPU-second", String.format(Locale.ROOT, "%,.0f", figures.recordsPerCpuSecond()),
                        "–")
                .row("latency p50 / p99 / max (ms)", figures.latencyP50Ms() + " / " + figures.latencyP99Ms() + " / "
                        + figures.latencyMaxMs(), "–"));
        double perCpuSecond = figures.recordsPerCpuSecond();
        double target = config.pipelineTargetPerSecond();
        section.reading(String.format(Locale.ROOT, "One core processes %,.0f readings per CPU-second (%s/s by the "
                        + "wall clock): %s of a target of %,.0f readings/s. Reaching the target would take about %.0f "
                        + "such cores if the pipeline scaled linearly with its parallelism, which this run "
                        + "(parallelism 1) does not measure. The latency (p50 %d ms) includes the wait for the "
                        + "watermark.",
                perCpuSecond, perCore, MarkdownTable.percent(perCpuSecond / target), target,
                Math.ceil(target / perCpuSecond), figures.latencyP50Ms()));
        section.difference(String.format(Locale.ROOT, "**Pipeline throughput** — %,.0f readings per CPU-second on "
                        + "one core, %s a target of %,.0f readings/s (≈ %.0f cores at linear scaling, not measured); "
                        + "the paper gives no figure.", perCpuSecond,
                perCpuSecond >= target ? "meeting" : "short of", target, Math.ceil(target / perCpuSecond)));
        return section;
    }
}
