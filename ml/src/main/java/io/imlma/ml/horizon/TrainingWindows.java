package io.imlma.ml.horizon;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.types.FeatureRow;
import io.imlma.ml.eval.Evaluation;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecast windows one model is trained on: one model serves every meter of the snapshot
 * (channel-independent), so each meter's runs are cut into windows of their own (no window crosses meters or gaps),
 * each meter is split by time 70/15/15 ({@link Windows#split}), and the parts are concatenated meter by meter: the
 * pooled training part is every meter's oldest 70 %, the pooled test part every meter's newest 15 %, so no test
 * target is a training target of the same meter. Meters with too few training windows are left out, with the reason
 * logged and kept.
 *
 * <p>Built the same way (deterministically, meters sorted by id) on the client and in every tuning task, and by the
 * API's evaluation of a registered version, so its metrics are comparable with those a retraining reports.
 *
 * @param pooled  the concatenated train / validation / test windows
 * @param runs    the used meters' runs of consecutive intervals, by meter id then time
 * @param meters  the meters used, sorted by id
 * @param skipped why each left-out meter was left out
 */
public record TrainingWindows(Windows.Split pooled, List<Series> runs, List<String> meters, List<String> skipped) {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingWindows.class);
    public static final double TRAIN_FRACTION = 0.70;
    public static final double VALIDATION_FRACTION = 0.15;
    /** The seasonal baseline's period: one day of 15-minute intervals. */
    public static final int SEASON = HorizonSpec.DAY_OF_15_MINUTE_INTERVALS;

    public static final Option<Integer> MIN_WINDOWS = Option.integer("training.min-windows-per-meter")
            .defaultValue(672).check(n -> n >= 1, "must be at least 1")
            .description("Meters with fewer training windows (issue times with L inputs and H measured targets in"
                    + " their oldest 70 %) are left out of training; 672 is a week of 15-minute issue times.");
    public static final List<Option<?>> OPTIONS = List.of(MIN_WINDOWS);

    /** The {@link #MIN_WINDOWS} setting. */
    public static int minWindows(Settings settings) {
        return MIN_WINDOWS.value(settings);
    }

    /**
     * @param rows       snapshot rows of any meters, any order
     * @param minWindows a meter needs at least this many training windows to be used
     * @throws IllegalArgumentException when no meter has enough history
     */
    public static TrainingWindows build(List<FeatureRow> rows, HorizonSpec spec, int minWindows) {
        Map<String, List<Series>> byMeter = new LinkedHashMap<>();
        Series.fromRows(rows).forEach(run -> byMeter.computeIfAbsent(run.id(), id -> new ArrayList<>()).add(run));
        List<Windows> train = new ArrayList<>();
        List<Windows> validation = new ArrayList<>();
        List<Windows> test = new ArrayList<>();
        List<Series> runs = new ArrayList<>();
        List<String> meters = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        byMeter.forEach((meter, meterRuns) -> {
            Windows.Split split = Windows.split(meterRuns, spec, TRAIN_FRACTION, VALIDATION_FRACTION);
            int intervals = meterRuns.stream().mapToInt(Series::length).sum();
            if (split.train().size() < minWindows || split.validation().size() == 0 || split.test().size() == 0) {
                String reason = meter + ": " + split.train().size() + " training, " + split.validation().size()
                        + " validation and " + split.test().size() + " test windows from " + intervals
                        + " intervals in " + meterRuns.size() + " run(s) (a window needs " + spec.inputLength()
                        + " inputs and " + spec.horizon() + " measured targets); needs " + minWindows
                        + " training windows and one of each other part";
                LOG.info("Leaving out meter {}", reason);
                skipped.add(reason);
                return;
            }
            train.add(split.train());
            validation.add(split.validation());
            test.add(split.test());
            runs.addAll(meterRuns);
            meters.add(meter);
        });
        if (meters.isEmpty()) {
            throw new IllegalArgumentException("no meter has enough history to train on (" + byMeter.size()
                    + " meters, " + rows.size() + " rows): " + String.join("; ", skipped));
        }
        Windows.Split pooled = new Windows.Split(Windows.concat(spec, train), Windows.concat(spec, validation),
                Windows.concat(spec, test));
        return new TrainingWindows(pooled, List.copyOf(runs), List.copyOf(meters), List.copyOf(skipped));
    }

    public HorizonSpec spec() {
        return pooled.test().spec();
    }

    /**
     * A model, the champion (if any) and the naive baselines (persistence; the same interval a day earlier when
     * the windows reach back a day) on the same pooled test windows, and the replacement decision. A champion that
     * reads more history than the candidate is scored with it: all are then measured on the test windows that have
     * that much history. A champion of another horizon is not compared; the reason is returned.
     *
     * @param champion the champion's model file, or null
     * @param notes    receives why a champion was not compared
     */
    public Evaluation evaluate(HorizonModel candidate, ModelArtifact champion, ReplacementPolicy policy,
            List<String> notes) {
        HorizonModel championModel = comparable(champion) ? champion.model() : null;
        if (champion != null && championModel == null) {
            notes.add("champion forecasts " + champion.horizon() + " intervals, the candidate " + spec().horizon()
                    + ": not compared");
        }
        Windows test = testWindowsFor(champion);
        Metrics candidateMetrics = HorizonEvaluation.of(candidate, test);
        Metrics championMetrics = championModel == null ? null : HorizonEvaluation.of(championModel, test);
        HorizonSpec windows = test.spec();
        Metrics persistence = HorizonEvaluation.of(new PersistenceModel(windows.withInputLength(1)), test);
        Metrics seasonal = windows.inputLength() < SEASON ? null
                : HorizonEvaluation.of(new SeasonalNaiveModel(windows.withInputLength(SEASON), SEASON), test);
        return new Evaluation(candidateMetrics, championMetrics, persistence, seasonal,
                policy.decide(candidateMetrics, championMetrics));
    }

    /** The test windows {@link #evaluate} scores on, given the champion (or null). */
    public Windows testWindowsFor(ModelArtifact champion) {
        HorizonSpec spec = spec();
        if (!comparable(champion) || champion.requiredHistory() <= spec.inputLength()) {
            return pooled.test();
        }
        return Windows.split(runs, spec.withInputLength(champion.requiredHistory()), TRAIN_FRACTION,
                VALIDATION_FRACTION).test();
    }

    private boolean comparable(ModelArtifact champion) {
        return champion != null && champion.horizon() == spec().horizon();
    }
}
