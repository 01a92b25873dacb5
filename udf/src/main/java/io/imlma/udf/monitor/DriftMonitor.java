package io.imlma.udf.monitor;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.hipparchus.stat.inference.KolmogorovSmirnovTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Watches the input distribution of each meter (keyed by meter): per configured feature, the latest window of
 * values is tested against the champion's training reference every {@code stride} values — two-sample
 * Kolmogorov–Smirnov (hipparchus) for windows up to {@code ksMaxWindow}, population stability index for larger
 * ones — and a DRIFT alarm is raised through {@link Hysteresis} when the per-feature threshold is crossed. KS is
 * measured as −log10 p against −log10 α (the hysteresis's clear margin applies on that scale).
 *
 * <p>References arrive on the second input ({@link DriftReference}): the serving champion's training data, published
 * with each promotion ({@link ChampionDriftReferences}). <b>Until one is known for a meter and feature, nothing is
 * tested and no alarm is raised</b>: there is no model whose training data the stream could have drifted from. A
 * newer champion's reference replaces the old one; an open DRIFT alarm is then tested at once against the new
 * reference and resolved (an INFO alarm with its id) when the recent values fit it, otherwise it goes on, its
 * notifications naming the new champion. A reference older than the current one, or the current one offered again
 * (a restart), is ignored.
 *
 * <p>When configured, a raised DRIFT alarm also emits a {@link RetrainRequest} with reason DRIFT on
 * {@link #RETRAIN_REQUESTS}, so it goes through the retrain trigger.
 */
public class DriftMonitor extends KeyedCoProcessFunction<String, FeatureRow, DriftReference, Alarm> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
    /** Seeds the jitter hipparchus uses to break ties, so a replay computes the same p-values. */
    private static final long KS_TIE_SEED = 20250101L;

    public static final OutputTag<RetrainRequest> RETRAIN_REQUESTS = new OutputTag<>("drift-retrain-requests") {};

    public static final Option<String> FEATURES = Option.string("monitor.drift.features").defaultValue("standardized")
            .check(DriftMonitor::areFeatures, "expected a comma-separated list of "
                    + Arrays.toString(DriftFeature.values()).toLowerCase(Locale.ROOT))
            .description("The model inputs whose distribution is watched (standardized, mean, range).");
    public static final Option<Double> KS_ALPHA = Option.decimal("monitor.drift.ks-alpha").defaultValue(1e-3)
            .check(a -> a > 0 && a < 1, "must be in (0, 1)")
            .description("KS significance level, for every feature without its own monitor.drift.<feature>.ks-alpha.");
    public static final Option<Double> PSI_THRESHOLD = Option.decimal("monitor.drift.psi-threshold").defaultValue(0.25)
            .check(t -> t > 0, "must be positive")
            .description("PSI limit, for every feature without its own monitor.drift.<feature>.psi-threshold.");
    /** A week of 15-minute values. */
    private static final int WEEK = 672;
    // four weeks tested once a week: on two years of real ETTm1 data a day-long window tested daily failed 446 of
    // 697 tests (15-minute values are strongly autocorrelated and a month's level moves with the weather), four
    // weeks weekly 10 of about 100 (EttFalseAlarmRateTest prints both)
    public static final Option<Integer> WINDOW = Option.integer("monitor.drift.window").defaultValue(4 * WEEK)
            .check(n -> n >= 8, "must be at least 8").description("Values per test.");
    public static final Option<Integer> STRIDE = Option.integer("monitor.drift.stride")
            .check(n -> n >= 1, "must be at least 1").defaultText("672 (a week), or the window if shorter")
            .description("Values between tests.");
    public static final Option<Integer> REFERENCE_SIZE = Option.integer("monitor.drift.reference-size")
            .defaultValue(WEEK).check(n -> n >= 8, "must be at least 8")
            .description("Values in a published reference, evenly spaced over the champion's training range.");
    public static final Option<Integer> KS_MAX_WINDOW = Option.integer("monitor.drift.ks-max-window").defaultValue(200)
            .description("Windows up to this size are tested with KS, larger ones with PSI.");
    public static final Option<Integer> PSI_BINS = Option.integer("monitor.drift.psi-bins").defaultValue(10)
            .check(n -> n >= 2, "must be at least 2").description("PSI bins, at the reference's quantiles.");
    public static final Option<String> MODEL_NAME = Option.string("model.name").defaultValue("load-forecast")
            .description("Model named in drift retrain requests when the reference names none.");
    public static final Option<Boolean> RETRAIN_REQUEST = Option.bool("monitor.drift.retrain-request")
            .defaultValue(true).description("Emit a DRIFT retrain request when a drift alarm is raised.");
    public static final List<Option<?>> OPTIONS = List.of(FEATURES, KS_ALPHA, PSI_THRESHOLD, WINDOW, STRIDE,
            REFERENCE_SIZE, KS_MAX_WINDOW, PSI_BINS, MODEL_NAME, RETRAIN_REQUEST);
    /** Per-feature thresholds, {@code <feature>} one of {@link DriftFeature#key}. */
    static final List<String> PATTERNS = List.of("monitor.drift.<feature>.ks-alpha",
            "monitor.drift.<feature>.psi-threshold");

    /** Thresholds of one feature: KS significance level and PSI limit. */
    public record Thresholds(double ksAlpha, double psi) implements Serializable {}

    /**
     * @param thresholds     the features watched and their thresholds
     * @param window         values per test
     * @param stride         values between tests
     * @param referenceSize  values in a published reference (evenly spaced over the champion's training range)
     * @param ksMaxWindow    windows up to this size are tested with KS, larger ones with PSI
     * @param psiBins        PSI bins (at the reference's quantiles)
     * @param modelName      model named in retrain requests when the reference does not name one
     * @param requestRetrain emit a DRIFT retrain request when a drift alarm is raised
     */
    public record Config(Map<DriftFeature, Thresholds> thresholds, int window, int stride, int referenceSize,
                         int ksMaxWindow, int psiBins, String modelName, boolean requestRetrain,
                         Hysteresis hysteresis) implements Serializable {
        public static Config fromSettings(Settings s) {
            String p = "monitor.drift";
            Map<DriftFeature, Thresholds> thresholds = new EnumMap<>(DriftFeature.class);
            for (String name : FEATURES.value(s).split(",")) {
                DriftFeature feature = DriftFeature.valueOf(name.trim().toUpperCase(Locale.ROOT));
                String f = p + "." + feature.key();
                thresholds.put(feature, new Thresholds(
                        KS_ALPHA.under(f + ".ks-alpha").find(s).orElseGet(() -> KS_ALPHA.value(s)),
                        PSI_THRESHOLD.under(f + ".psi-threshold").find(s).orElseGet(() -> PSI_THRESHOLD.value(s))));
            }
            int window = WINDOW.value(s);
            return new Config(thresholds, window, STRIDE.find(s).orElse(Math.min(window, WEEK)),
                    REFERENCE_SIZE.value(s), KS_MAX_WINDOW.value(s), PSI_BINS.value(s), MODEL_NAME.value(s),
                    RETRAIN_REQUEST.value(s),
                    Hysteresis.fromSettings(s, p, 2));
        }
    }

    private static boolean areFeatures(String names) {
        return Arrays.stream(names.split(",")).map(n -> n.trim().toUpperCase(Locale.ROOT))
                .allMatch(n -> Arrays.stream(DriftFeature.values()).anyMatch(f -> f.name().equals(n)));
    }

    private final Config config;
    private final AlarmGate gate;
    private transient MapState<String, DriftState> states;
    private transient KolmogorovSmirnovTest ks;
    private transient double lastStatistic;
    private transient Counter tests;
    private transient Counter retrainRequests;

    public DriftMonitor(Config config) {
        this.config = config;
        this.gate = new AlarmGate(AlarmType.DRIFT, config.hysteresis());
    }

    @Override
    public void open(Configuration parameters) {
        states = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("drift", Types.STRING, Types.POJO(DriftState.class)));
        ks = new KolmogorovSmirnovTest(KS_TIE_SEED);
        gate.open(getRuntimeContext().getMetricGroup());
        getRuntimeContext().getMetricGroup().gauge(MonitorMetrics.DRIFT_STATISTIC, (Gauge<Double>) () -> lastStatistic);
        tests = getRuntimeContext().getMetricGroup().counter(MonitorMetrics.DRIFT_TESTS);
        retrainRequests = getRuntimeContext().getMetricGroup().counter(MonitorMetrics.DRIFT_RETRAIN_REQUESTS);
    }

    @Override
    public void processElement1(FeatureRow row, Context ctx, Collector<Alarm> out) throws Exception {
        for (Map.Entry<DriftFeature, Thresholds> e : config.thresholds().entrySet()) {
            DriftFeature feature = e.getKey();
            if (!feature.accepts(row)) {
                continue;
            }
            DriftState s = states.get(feature.key());
            if (s == null) {
                s = DriftState.start(config.window());
            }
            // the window fills before the first reference, so the first test follows it by one stride
            s.remember(feature.of(row), row.windowStart(), row.windowEnd());
            if (s.reference != null && s.recentCount == config.window() && ++s.sinceTest >= config.stride()) {
                s.sinceTest = 0;
                test(row.meterId(), feature, e.getValue(), s, ctx, out);
            }
            states.put(feature.key(), s);
        }
    }

    /** One test's outcome: the statistic (larger is worse), its threshold and the situation in words. */
    private record Measurement(double statistic, double threshold, String describe) {}

    private Measurement measure(String meterId, DriftFeature feature, Thresholds thresholds, DriftState s) {
        String reference = "the training data of " + s.referenceModel + " v" + s.referenceVersion;
        if (config.window() <= config.ksMaxWindow()) {
            double pValue = ks.kolmogorovSmirnovTest(s.reference, s.recent);
            // as −log10 p so that, like every monitored value, larger means worse; 1 − p would round every α below
            // 1e-16 to a threshold of 1 that nothing exceeds
            return new Measurement(-Math.log10(Math.max(pValue, Double.MIN_VALUE)), -Math.log10(thresholds.ksAlpha()),
                    String.format("%s of meter %s: last %d values differ from %s (Kolmogorov–Smirnov p = %.3g,"
                            + " α = %.3g)", feature.key(), meterId, s.recent.length, reference, pValue,
                            thresholds.ksAlpha()));
        }
        double psi = PopulationStabilityIndex.of(s.reference, s.recent, config.psiBins());
        return new Measurement(psi, thresholds.psi(), String.format(
                "%s of meter %s: last %d values differ from %s (PSI = %.3f, limit %.3f)",
                feature.key(), meterId, s.recent.length, reference, psi, thresholds.psi()));
    }

    /** Tests the recent window, which ends at {@code s.latestEnd}, through the hysteresis. */
    private void test(String meterId, DriftFeature feature, Thresholds thresholds, DriftState s, Context ctx,
                      Collector<Alarm> out) {
        Measurement m = measure(meterId, feature, thresholds, s);
        double statistic = m.statistic();
        double threshold = m.threshold();
        String describe = m.describe();
        tests.inc();
        lastStatistic = statistic;
        String scope = meterId + '|' + feature.key();
        Hysteresis.Step step = gate.evaluate(s.condition, scope, meterId, s.referenceVersion, statistic,
                threshold, s.latestEnd, describe, out::collect);
        s.condition = step.state();
        if (config.requestRetrain() && step.transition() == Hysteresis.Transition.RAISE) {
            String model = s.referenceModel != null ? s.referenceModel : config.modelName();
            // D0 and ΔD are the trigger's bookkeeping, unknown here
            ctx.output(RETRAIN_REQUESTS, new RetrainRequest(
                    Hysteresis.alarmId("DRIFT_RETRAIN", scope, step.state().episodeStart()), model, RetrainReason.DRIFT,
                    s.oldestStart(), s.latestEnd, 0, 0, s.latestEnd));
            retrainRequests.inc();
        }
    }

    @Override
    public void processElement2(DriftReference reference, Context ctx, Collector<Alarm> out) throws Exception {
        DriftFeature feature;
        try {
            feature = DriftFeature.valueOf(reference.feature().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warn("Ignoring drift reference of meter {} for unknown feature '{}'", reference.meterId(), reference.feature());
            return;
        }
        if (!config.thresholds().containsKey(feature) || reference.sortedSample() == null
                || reference.sortedSample().length < 2) {
            LOG.warn("Ignoring drift reference of meter {} for feature {}: feature not watched or sample too small",
                    reference.meterId(), feature.key());
            return;
        }
        DriftState s = states.get(feature.key());
        if (s == null) {
            s = DriftState.start(config.window());
        } else if (s.reference != null && (reference.createdAt() < s.referenceCreatedAt
                || (reference.modelVersion() == s.referenceVersion && reference.modelName().equals(s.referenceModel)))) {
            // an older champion's reference, or the current one again (the registry's champion after a restart)
            return;
        }
        s.reference = sorted(reference.sortedSample());
        s.referenceVersion = reference.modelVersion();
        s.referenceModel = reference.modelName();
        s.referenceCreatedAt = reference.createdAt();
        s.sinceTest = 0;
        Thresholds thresholds = config.thresholds().get(feature);
        if (s.recentCount == config.window() && s.condition.active()) {
            // the open episode was measured against data the served model no longer stands for: the same values
            // are tested against the new champion's data at once; it ends if they fit, otherwise it goes on
            Measurement m = measure(reference.meterId(), feature, thresholds, s);
            if (m.statistic() <= m.threshold()) {
                s.condition = gate.resolve(s.condition, reference.meterId() + '|' + feature.key(),
                        reference.meterId(), reference.modelVersion(), s.latestEnd, String.format(
                                "%s of meter %s: %s v%d is served and the last %d values fit its training data",
                                feature.key(), reference.meterId(), reference.modelName(), reference.modelVersion(),
                                s.recent.length), out::collect);
            }
        } else if (s.recentCount == config.window()) {
            // a full window is tested at once, not a stride later
            test(reference.meterId(), feature, thresholds, s, ctx, out);
        }
        states.put(feature.key(), s);
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
