package io.imlma.bench.pipeline;

import io.imlma.bench.cli.Arguments;
import io.imlma.bench.retrain.RetrainBenchmark;
import io.imlma.common.config.Settings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark (not a test): what a retraining under the {@code local} launcher costs the stream. The local launcher
 * runs each retraining's driver and its tuning rounds' mini cluster inside the process that launches it, a
 * TaskManager of the streaming job; here that is this JVM, which also runs the pipeline's local cluster. The
 * pipeline ({@link PipelineBenchmark}) is paced open loop at a fraction of its saturated rate, once alone and once
 * while retrainings ({@link RetrainBenchmark}, default the MLP) run back to back beside it, and the two runs'
 * throughput, latency and CPU are printed side by side. Launchers that train elsewhere (flink-client on a session
 * cluster, a Kubernetes Job per request) leave the streaming TaskManager only the launch itself.
 */
public final class TrainingInterference {
    public static final String COMMAND = "bench-training-interference";

    /**
     * @param load      fraction of the saturated rate the paced runs use
     * @param retrain   the retraining run beside the stream
     */
    public record Options(PipelineBenchmark.Options pipeline, double load, RetrainBenchmark.Options retrain) {
        public Options {
            Settings.require(load > 0 && load <= 1, "load", "must be in (0, 1]");
        }

        public static Options from(Arguments a) {
            return new Options(PipelineBenchmark.Options.sizeFrom(a),
                    a.decimal("load", 0.5, "fraction of the saturated rate the paced runs use"),
                    RetrainBenchmark.Options.from(a, "retrain.", "mlp"));
        }
    }

    /** @param retrainSeconds wall time of each retraining started during the second run */
    public record Figures(PipelineBenchmark.Figures saturated, PipelineBenchmark.Figures alone,
            PipelineBenchmark.Figures beside, List<Double> retrainSeconds, String trainer) {
        public void printTo(PrintStream out) {
            out.printf(Locale.ROOT, "saturated: %,.0f records/s wall; paced runs at %,.0f records/s%n",
                    saturated.recordsPerSecond(), alone.rate());
            row(out, "stream alone", alone);
            row(out, "beside " + trainer + " retrainings", beside);
            out.printf(Locale.ROOT, "retrainings beside the second run: %d, %s s each (the last one still ran when the"
                    + " stream's run ended)%n", retrainSeconds.size(), retrainSeconds.stream()
                    .map(s -> String.format(Locale.ROOT, "%.1f", s)).toList());
            out.printf(Locale.ROOT, "cost to the stream: latency p99 ×%.2f (%d → %d ms), p50 ×%.2f; throughput"
                    + " ×%.2f%n", (double) beside.latencyP99Ms() / Math.max(1, alone.latencyP99Ms()),
                    alone.latencyP99Ms(), beside.latencyP99Ms(),
                    (double) beside.latencyP50Ms() / Math.max(1, alone.latencyP50Ms()),
                    beside.recordsPerSecond() / alone.recordsPerSecond());
        }

        private static void row(PrintStream out, String what, PipelineBenchmark.Figures f) {
            out.printf(Locale.ROOT, "%-28s %,9.0f records/s, latency p50 %,6d ms, p99 %,6d ms, max %,6d ms;"
                    + " %.1f CPU-s%n", what, f.recordsPerSecond(), f.latencyP50Ms(), f.latencyP99Ms(),
                    f.latencyMaxMs(), f.cpuSeconds());
        }
    }

    private TrainingInterference() {}

    public static void main(String[] args) throws Exception {
        Arguments.run(args, COMMAND, "What retraining under the local launcher (in the streaming job's process) costs"
                + " the stream: the paced pipeline alone and beside back-to-back retrainings.", Options::from,
                options -> run(options).printTo(System.out));
    }

    public static Figures run(Options options) throws Exception {
        PipelineBenchmark.Figures saturated = PipelineBenchmark.run(options.pipeline().withRate(0));
        double rate = saturated.recordsPerSecond() * options.load();
        PipelineBenchmark.Figures alone = PipelineBenchmark.run(options.pipeline().withRate(rate));
        AtomicBoolean streaming = new AtomicBoolean(true);
        List<Double> seconds = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> training = CompletableFuture.runAsync(() -> {
            while (streaming.get()) {
                try {
                    seconds.add(RetrainBenchmark.run(options.retrain()).seconds());
                } catch (Exception e) {
                    throw new IllegalStateException("the retraining beside the stream failed", e);
                }
            }
        });
        PipelineBenchmark.Figures beside;
        try {
            beside = PipelineBenchmark.run(options.pipeline().withRate(rate));
        } finally {
            streaming.set(false);
        }
        training.join();
        return new Figures(saturated, alone, beside, new ArrayList<>(seconds), options.retrain().trainer());
    }
}
