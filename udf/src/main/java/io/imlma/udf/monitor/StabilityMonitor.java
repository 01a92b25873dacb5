package io.imlma.udf.monitor;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Prediction;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.hipparchus.stat.StatUtils;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * Watches the stability of one meter's forecasts (keyed by meter):
 * <ul>
 *   <li>STABILITY when consecutive forecasts of the same target interval differ by more than δ: the largest
 *       |ŷ_t(T) − ŷ_{t−1}(T)| over the target intervals T both forecasts cover (for a one-step forecast, which
 *       shares no target with the one before, |ŷ_t − ŷ_{t−1}|, the paper's definition). δ is the configured absolute value, or k × the champion's validation
 *       residual standard deviation when that is configured, or else k × the RMS step of the meter's own baseline
 *       window (the first full window of forecasts after the model version changes).</li>
 *   <li>VARIANCE when the variance of the latest window of forecasts differs from the baseline window's variance by
 *       more than the configured fraction of it (the paper reports fluctuation under 30 % of the baseline).
 *       Evaluated once per window of forecasts, on each forecast's first step.</li>
 * </ul>
 * A new model version starts a new baseline: the old one describes another model.
 */
public class StabilityMonitor extends KeyedProcessFunction<String, Prediction, Alarm> {
    private static final long serialVersionUID = 1L;

    public static final Option<Integer> WINDOW = Option.integer("monitor.stability.window").defaultValue(672)
            .check(n -> n >= 2, "must be at least 2")
            .description("Forecasts in the rolling-variance window and in its baseline.");
    public static final Option<Double> VARIANCE_THRESHOLD = Option.decimal("monitor.stability.variance-threshold")
            .defaultValue(0.30).check(t -> t > 0, "must be positive")
            .description("Alarm when |variance − baseline| / baseline exceeds this.");
    public static final Option<Double> DELTA = Option.decimal("monitor.stability.delta")
            .check(d -> d > 0, "must be positive").defaultText("delta-k × the residual std")
            .description("Absolute δ: alarm when consecutive forecasts differ by more.");
    public static final Option<Double> DELTA_K = Option.decimal("monitor.stability.delta-k").defaultValue(8.0)
            .check(k -> k > 0, "must be positive")
            .description("δ as a multiple of the residual std (or of the baseline RMS step) when delta is not set.");
    public static final Option<Double> RESIDUAL_STD = Option.decimal("monitor.stability.residual-std")
            .check(r -> r > 0, "must be positive").defaultText("(unknown: the baseline RMS step)")
            .description("The champion's validation residual std.");
    public static final List<Option<?>> OPTIONS = List.of(WINDOW, VARIANCE_THRESHOLD, DELTA, DELTA_K, RESIDUAL_STD);

    /**
     * @param window            forecasts in the rolling-variance window and in the baseline
     * @param varianceThreshold alarm when |var − baseline| / baseline exceeds it
     * @param delta             absolute δ, or NaN to derive it
     * @param deltaK            multiple of the residual std (or of the baseline RMS step) used as δ
     * @param residualStd       champion's validation residual std, or NaN when unknown
     */
    public record Config(int window, double varianceThreshold, double delta, double deltaK, double residualStd,
                         Hysteresis deltaHysteresis, Hysteresis varianceHysteresis) implements Serializable {
        public static Config fromSettings(Settings s) {
            String p = "monitor.stability";
            return new Config(WINDOW.value(s), VARIANCE_THRESHOLD.value(s), DELTA.find(s).orElse(Double.NaN),
                    DELTA_K.value(s), RESIDUAL_STD.find(s).orElse(Double.NaN),
                    Hysteresis.fromSettings(s, p + ".delta", 3), Hysteresis.fromSettings(s, p + ".variance", 2));
        }
    }

    private final Config config;
    private final AlarmGate deltaGate;
    private final AlarmGate varianceGate;
    private transient ValueState<StabilityState> state;
    private transient double lastDelta;
    private transient double lastFluctuation;

    public StabilityMonitor(Config config) {
        this.config = config;
        this.deltaGate = new AlarmGate(AlarmType.STABILITY, config.deltaHysteresis());
        this.varianceGate = new AlarmGate(AlarmType.VARIANCE, config.varianceHysteresis());
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("stability", StabilityState.class));
        deltaGate.open(getRuntimeContext().getMetricGroup());
        varianceGate.open(getRuntimeContext().getMetricGroup());
        getRuntimeContext().getMetricGroup().gauge(MonitorMetrics.PREDICTION_STABILITY_DELTA, (Gauge<Double>) () -> lastDelta);
        getRuntimeContext().getMetricGroup().gauge(MonitorMetrics.PREDICTION_VARIANCE_FLUCTUATION,
                (Gauge<Double>) () -> lastFluctuation);
    }

    @Override
    public void processElement(Prediction p, Context ctx, Collector<Alarm> out) throws Exception {
        StabilityState s = state.value();
        if (s == null || s.modelVersion != p.modelVersion()) {
            s = StabilityState.start(p.modelVersion(), config.window(), s);
        }
        String meter = p.meterId();
        double forecast = p.forecast()[0];
        boolean inBaseline = Double.isNaN(s.baselineVariance);

        if (s.lastForecast != null) {
            Revision revision = revision(s.lastForecast, s.lastIssueTime, p);
            double step = revision.size();
            if (inBaseline) {
                s.baselineStepSumSq += step * step;
                s.baselineSteps++;
            }
            double delta = delta(s);
            if (!Double.isNaN(delta)) {
                lastDelta = step;
                s.delta = deltaGate.evaluate(s.delta, meter + "|delta", meter, p.modelVersion(), step, delta,
                        p.eventTime(), String.format("forecast of meter %s for %s moved by %.4g between consecutive"
                                + " forecasts, δ = %.4g", meter, Instant.ofEpochMilli(revision.targetTime()), step,
                                delta), out::collect).state();
            }
        }
        s.lastForecast = p.forecast().clone();
        s.lastIssueTime = p.issueTime();
        s.remember(forecast);

        if (s.recentCount == config.window() && ++s.sinceVarianceCheck >= config.window()) {
            s.sinceVarianceCheck = 0;
            double variance = StatUtils.variance(s.recent);
            if (inBaseline) {
                // a flat baseline (e.g. a run of zeros) gives no scale to compare with: take the next window instead
                if (variance > 0) {
                    s.baselineVariance = variance;
                    if (s.baselineSteps > 0) {
                        s.derivedDelta = config.deltaK() * Math.sqrt(s.baselineStepSumSq / s.baselineSteps);
                    }
                }
            } else {
                double fluctuation = Math.abs(variance - s.baselineVariance) / s.baselineVariance;
                lastFluctuation = fluctuation;
                s.variance = varianceGate.evaluate(s.variance, meter + "|variance", meter, p.modelVersion(), fluctuation,
                        config.varianceThreshold(), p.eventTime(),
                        String.format("variance of meter %s's last %d forecasts is %.4g, %.0f %% away from the baseline %.4g",
                                meter, config.window(), variance, 100 * fluctuation, s.baselineVariance), out::collect).state();
            }
        }
        state.update(s);
    }

    /** The largest change of one target interval's forecast, and that interval's start. */
    record Revision(double size, long targetTime) {}

    /**
     * How far {@code next} moved from the forecast issued at {@code previousIssue}: the largest change over the
     * target intervals both cover, or, when they share none (one-step forecasts, or a gap longer than the
     * horizon), the change between their first steps.
     */
    static Revision revision(double[] previous, long previousIssue, Prediction next) {
        double largest = -1;
        long at = next.issueTime();
        for (int k = 0; k < next.horizon(); k++) {
            long offset = next.targetTime(k) - previousIssue;
            if (offset < 0 || offset % next.intervalMillis() != 0) {
                continue;
            }
            long j = offset / next.intervalMillis();
            if (j >= previous.length) {
                break;
            }
            double change = Math.abs(next.forecast()[k] - previous[(int) j]);
            if (change > largest) {
                largest = change;
                at = next.targetTime(k);
            }
        }
        return largest >= 0 ? new Revision(largest, at)
                : new Revision(Math.abs(next.forecast()[0] - previous[0]), next.issueTime());
    }

    private double delta(StabilityState s) {
        if (!Double.isNaN(config.delta())) {
            return config.delta();
        }
        if (!Double.isNaN(config.residualStd())) {
            return config.deltaK() * config.residualStd();
        }
        return s.derivedDelta;
    }
}
