package io.imlma.udf.monitor;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Prediction;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Watches latency: for every prediction, each {@link LatencyKind} goes into a sliding window of the most recent
 * latencies (Flink's {@link DescriptiveStatisticsHistogram}, bounded memory) exported as metrics; every few records
 * the configured percentile of each kind that has a budget is compared with it and a LATENCY alarm is raised through
 * {@link Hysteresis} when it is over.
 *
 * <p>What is alarmed by default is what an operator pages on whatever the input rate: {@link LatencyKind#SCORING},
 * the wall-clock time from a feature row reaching the scorer to its forecast (budget
 * {@value #SCORING_BUDGET}, default 1 s) — a stalled, starved or slow scorer — and, for real-time input,
 * {@link LatencyKind#EVENT_TO_SCORED} (budget {@value #EVENT_BUDGET}, default 20 min: the 15-minute interval, the
 * watermark's out-of-orderness and processing). {@link LatencyKind#INGEST_TO_SCORED} is measured but not alarmed by
 * default ({@value #INGEST_BUDGET} = 0): it includes the wait for the interval to close (up to an interval plus the
 * out-of-orderness with real-time input, so no budget of seconds can hold) and, in a replay faster than the machine,
 * the queueing behind the backpressure the replay itself causes.
 *
 * <p>Pipeline-wide, not keyed: each subtask watches the predictions it sees. The windows and the alarm state are
 * checkpointed so that a replay after failure continues the same episodes (same alarm ids).
 */
public class LatencyMonitor extends ProcessFunction<Prediction, Alarm> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public enum LatencyKind {
        /** Window end of the newest input row → scoring. Includes the window length and the watermark delay. */
        EVENT_TO_SCORED,
        /**
         * Ingestion of the newest reading behind the prediction (its release by the pacer in a replay) → scoring.
         * Includes the wait for its interval to close and any queueing behind backpressure.
         */
        INGEST_TO_SCORED,
        /** The feature row reaching the scorer → its forecast: the scorer's own delay, independent of the input. */
        SCORING;

        long of(Prediction p) {
            return p.scoredAt() - switch (this) {
                case EVENT_TO_SCORED -> p.eventTime();
                case INGEST_TO_SCORED -> p.ingestTime();
                case SCORING -> p.receivedAt();
            };
        }
    }

    private static final String BUDGET = "the kind's percentile latency above which an alarm is raised; 0 switches"
            + " the kind's alarm off";
    public static final Option<Duration> EVENT_BUDGET = Option.duration("monitor.latency.event-budget")
            .defaultValue(Duration.ofMinutes(20)).check(d -> !d.isNegative(), "must not be negative (0 switches the"
                    + " alarm off)")
            .description("Event time to scored: " + BUDGET + " (e.g. in a replay of old data).");
    public static final Option<Duration> INGEST_BUDGET = Option.duration("monitor.latency.ingest-budget")
            .defaultValue(Duration.ZERO).check(d -> !d.isNegative(), "must not be negative (0 switches the alarm off)")
            .description("Ingest to scored: " + BUDGET + ".");
    public static final Option<Duration> SCORING_BUDGET = Option.duration("monitor.latency.scoring-budget")
            .defaultValue(Duration.ofSeconds(1)).check(d -> !d.isNegative(), "must not be negative (0 switches the"
                    + " alarm off)")
            .description("Received by the scorer to scored: " + BUDGET + ".");
    public static final Option<Double> PERCENTILE = Option.decimal("monitor.latency.percentile").defaultValue(99.0)
            .check(q -> q > 0 && q <= 100, "must be in (0, 100]")
            .description("The percentile compared with the budgets.");
    public static final Option<Integer> WINDOW = Option.integer("monitor.latency.window").defaultValue(1024)
            .check(n -> n >= 1, "must be at least 1").description("Latencies kept per kind.");
    public static final Option<Integer> MIN_SAMPLES = Option.integer("monitor.latency.min-samples").defaultValue(100)
            .check(n -> n >= 1, "must be in [1, window]")
            .description("No evaluation before this many latencies are in the window (at most the window).");
    public static final Option<Integer> EVALUATE_EVERY = Option.integer("monitor.latency.evaluate-every")
            .defaultValue(50).check(n -> n >= 1, "must be at least 1")
            .description("Evaluate once per this many predictions.");
    public static final List<Option<?>> OPTIONS = List.of(EVENT_BUDGET, INGEST_BUDGET, SCORING_BUDGET, PERCENTILE,
            WINDOW, MIN_SAMPLES, EVALUATE_EVERY);

    /**
     * @param budgetsMs     budget per kind in ms; kinds not in the map are measured but not alarmed
     * @param percentile    percentile compared with the budget, in (0, 100]
     * @param windowSize    latencies kept per kind
     * @param minSamples    no evaluation before this many latencies are in the window
     * @param evaluateEvery evaluate once per this many predictions
     */
    public record Config(Map<LatencyKind, Long> budgetsMs, double percentile, int windowSize, int minSamples,
                         int evaluateEvery, Hysteresis hysteresis) implements Serializable {
        public static Config fromSettings(Settings s) {
            Map<LatencyKind, Long> budgets = new EnumMap<>(LatencyKind.class);
            // a zero budget switches the kind's alarm off (e.g. event time in a replay of old data)
            budget(s, EVENT_BUDGET, LatencyKind.EVENT_TO_SCORED, budgets);
            budget(s, INGEST_BUDGET, LatencyKind.INGEST_TO_SCORED, budgets);
            budget(s, SCORING_BUDGET, LatencyKind.SCORING, budgets);
            int window = WINDOW.value(s);
            int minSamples = MIN_SAMPLES.value(s);
            Settings.require(minSamples <= window, MIN_SAMPLES.key(), "must be in [1, window]");
            return new Config(budgets, PERCENTILE.value(s), window, minSamples, EVALUATE_EVERY.value(s),
                    Hysteresis.fromSettings(s, "monitor.latency", 2));
        }

        private static void budget(Settings s, Option<Duration> option, LatencyKind kind,
                                   Map<LatencyKind, Long> budgets) {
            Duration budget = option.value(s);
            if (!budget.isZero()) {
                budgets.put(kind, budget.toMillis());
            }
        }
    }

    private final Config config;
    private final AlarmGate gate;

    private transient Map<LatencyKind, DescriptiveStatisticsHistogram> windows;
    private transient Map<LatencyKind, HysteresisState> conditions;
    private transient long sinceEvaluation;
    private transient ListState<Tuple3<String, long[], HysteresisState>> checkpointed;

    public LatencyMonitor(Config config) {
        this.config = config;
        this.gate = new AlarmGate(AlarmType.LATENCY, config.hysteresis());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        windows = new EnumMap<>(LatencyKind.class);
        conditions = new EnumMap<>(LatencyKind.class);
        for (LatencyKind kind : LatencyKind.values()) {
            windows.put(kind, new DescriptiveStatisticsHistogram(config.windowSize()));
            conditions.put(kind, HysteresisState.INITIAL);
        }
        checkpointed = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("latency-windows",
                TypeInformation.of(new TypeHint<Tuple3<String, long[], HysteresisState>>() {})));
        if (context.isRestored()) {
            for (Tuple3<String, long[], HysteresisState> entry : checkpointed.get()) {
                LatencyKind kind = LatencyKind.valueOf(entry.f0);
                if (windows.containsKey(kind)) {
                    for (long latency : entry.f1) {
                        windows.get(kind).update(latency);
                    }
                    conditions.put(kind, entry.f2);
                }
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.clear();
        for (LatencyKind kind : windows.keySet()) {
            checkpointed.add(Tuple3.of(kind.name(), windows.get(kind).getStatistics().getValues(), conditions.get(kind)));
        }
    }

    @Override
    public void open(Configuration parameters) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        gate.open(metrics);
        for (LatencyKind kind : windows.keySet()) {
            MetricGroup group = metrics.addGroup(MonitorMetrics.LATENCY_KIND_GROUP, kind.name());
            DescriptiveStatisticsHistogram window = windows.get(kind);
            group.histogram(MonitorMetrics.LATENCY_MS, window);
            group.gauge(MonitorMetrics.LATENCY_P99_MS, (Gauge<Double>) () -> window.getStatistics().getQuantile(0.99));
            group.gauge(MonitorMetrics.LATENCY_PERCENTILE_MS,
                    (Gauge<Double>) () -> window.getStatistics().getQuantile(config.percentile() / 100));
        }
    }

    @Override
    public void processElement(Prediction prediction, Context ctx, Collector<Alarm> out) {
        for (Map.Entry<LatencyKind, DescriptiveStatisticsHistogram> e : windows.entrySet()) {
            e.getValue().update(e.getKey().of(prediction));
        }
        if (++sinceEvaluation < config.evaluateEvery()) {
            return;
        }
        sinceEvaluation = 0;
        for (Map.Entry<LatencyKind, Long> e : config.budgetsMs().entrySet()) {
            LatencyKind kind = e.getKey();
            HistogramStatistics window = windows.get(kind).getStatistics();
            if (window.size() < config.minSamples()) {
                continue;
            }
            double value = window.getQuantile(config.percentile() / 100);
            long budget = e.getValue();
            String describe = String.format("p%s %s latency %.0f ms against a budget of %d ms over the last %d predictions",
                    trim(config.percentile()), kind.name().toLowerCase(), value, budget, window.size());
            Hysteresis.Step step = gate.evaluate(conditions.get(kind), kind.name(), null, prediction.modelVersion(),
                    value, budget, prediction.eventTime(), describe, out::collect);
            conditions.put(kind, step.state());
        }
    }

    private static String trim(double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }
}
