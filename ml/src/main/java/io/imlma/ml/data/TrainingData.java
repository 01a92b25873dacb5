package io.imlma.ml.data;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.types.FeatureRow;
import io.imlma.ml.eval.Evaluation;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.model.Model;
import io.imlma.ml.model.ModelArtifact;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data one model is trained on: one model serves every meter of the snapshot, so each meter's rows become a
 * data set of its own (lags never cross meters), each is split by time 70/15/15, and the parts are concatenated
 * meter by meter: the pooled training part is every meter's oldest 70 %, the pooled test part every meter's newest
 * 15 %, so no test target is older than a training target of the same meter. Meters with too little history are
 * left out, with the reason logged and kept.
 *
 * <p>Built the same way (deterministically, meters sorted by id) on the client and in every tuning task, and by the
 * API's evaluation of a registered version, so its metrics are comparable with those a retraining reports.
 *
 * @param pooled  the concatenated train / validation / test parts
 * @param meters  the meters used, sorted by id, each with its own split
 * @param skipped why each left-out meter was left out
 */
public record TrainingData(Dataset.Split pooled, List<MeterSplit> meters, List<String> skipped) {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);
    public static final Option<Integer> MIN_TARGETS = Option.integer("training.min-targets-per-meter")
            .defaultValue(672).check(n -> n >= 20, "must be at least 20 (a 70/15/15 split needs rows)")
            .description("Meters with fewer usable targets (rows after the lag history) are left out of training;"
                    + " 672 is a week of 15-minute intervals.");
    public static final List<Option<?>> OPTIONS = List.of(MIN_TARGETS);

    /** The {@link #MIN_TARGETS} setting. */
    public static int minTargets(Settings settings) {
        return MIN_TARGETS.value(settings);
    }

    /** One meter's time-ordered split. */
    public record MeterSplit(String meterId, Dataset.Split split) {}

    /**
     * @param rows       snapshot rows of any meters, any order
     * @param minTargets a meter needs at least this many targets (rows after the lag history) to be used
     * @throws IllegalArgumentException when no meter has enough history
     */
    public static TrainingData build(List<FeatureRow> rows, FeatureSpec spec, int minTargets) {
        Map<String, List<FeatureRow>> byMeter = rows.stream()
                .collect(Collectors.groupingBy(FeatureRow::meterId, TreeMap::new, Collectors.toList()));
        FeatureBuilder builder = new FeatureBuilder(spec);
        List<MeterSplit> meters = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        byMeter.forEach((meter, meterRows) -> {
            List<FeatureRow> series = latestConsecutiveRun(meter, meterRows);
            int targets = series.size() - spec.history();
            if (targets < minTargets) {
                String reason = meter + ": " + Math.max(targets, 0) + " usable targets (" + series.size()
                        + " consecutive intervals, " + spec.history() + " needed as history), fewer than "
                        + minTargets;
                LOG.info("Leaving out meter {}", reason);
                skipped.add(reason);
                return;
            }
            Dataset data = builder.build(series);
            if (data.size() < minTargets) {
                String reason = meter + ": " + data.size() + " measured targets (the rest imputed), fewer than "
                        + minTargets;
                LOG.info("Leaving out meter {}", reason);
                skipped.add(reason);
                return;
            }
            meters.add(new MeterSplit(meter, data.split()));
        });
        if (meters.isEmpty()) {
            throw new IllegalArgumentException("no meter has enough history to train on (" + byMeter.size()
                    + " meters, " + rows.size() + " rows): " + String.join("; ", skipped));
        }
        Dataset.Split pooled = new Dataset.Split(
                concat(meters.stream().map(m -> m.split().train()).toList()),
                concat(meters.stream().map(m -> m.split().validation()).toList()),
                concat(meters.stream().map(m -> m.split().test()).toList()));
        return new TrainingData(pooled, List.copyOf(meters), List.copyOf(skipped));
    }

    /**
     * The meter's newest run of consecutive intervals. The streaming job imputes missing intervals, so a gap
     * means the meter was down or reset; lags across it would be wrong, and the newest run is what forecasts serve.
     */
    private static List<FeatureRow> latestConsecutiveRun(String meter, List<FeatureRow> rows) {
        List<FeatureRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(FeatureRow::windowStart));
        List<FeatureRow> unique = new ArrayList<>(sorted.size());
        for (FeatureRow row : sorted) {
            if (unique.isEmpty() || unique.get(unique.size() - 1).windowStart() != row.windowStart()) {
                unique.add(row);
            }
        }
        int start = 0;
        for (int i = 1; i < unique.size(); i++) {
            if (unique.get(i).windowStart() != unique.get(i - 1).windowEnd()) {
                start = i;
            }
        }
        if (start > 0 || unique.size() < sorted.size()) {
            LOG.warn("Meter {}: using its newest {} consecutive intervals; {} earlier rows before a gap and {}"
                    + " duplicate rows not used", meter, unique.size() - start, start, sorted.size() - unique.size());
        }
        return unique.subList(start, unique.size());
    }

    private static Dataset concat(List<Dataset> parts) {
        int n = parts.stream().mapToInt(Dataset::size).sum();
        double[][] features = new double[n][];
        double[] targets = new double[n];
        long[] times = new long[n];
        double[] last = new double[n];
        double[] seasonal = new double[n];
        int at = 0;
        for (Dataset part : parts) {
            int size = part.size();
            System.arraycopy(part.features(), 0, features, at, size);
            System.arraycopy(part.targets(), 0, targets, at, size);
            System.arraycopy(part.targetTimes(), 0, times, at, size);
            System.arraycopy(part.lastValues(), 0, last, at, size);
            System.arraycopy(part.seasonalValues(), 0, seasonal, at, size);
            at += size;
        }
        return new Dataset(features, targets, times, last, seasonal, parts.get(0).featureNames());
    }

    /**
     * A model, the champion (if any) and the naive baselines on the same pooled test rows, and the replacement
     * decision; the champion is scored with its own feature recipe.
     *
     * @param features the feature recipe this data was built with, the candidate's
     * @param rows     the rows this data was built from
     * @param champion the champion's model file, or null
     */
    public Evaluation evaluate(Model candidate, FeatureSpec features, ModelArtifact champion, List<FeatureRow> rows,
            ReplacementPolicy policy) {
        Dataset test = pooled.test();
        Metrics candidateMetrics = Metrics.of(candidate, test);
        Metrics championMetrics = null;
        if (champion != null) {
            Dataset championTest = champion.features().equals(features) ? test : testRowsFor(rows, champion.features());
            championMetrics = Metrics.of(test.targets(), champion.model().predictAll(championTest.features()));
        }
        return new Evaluation(candidateMetrics, championMetrics, Metrics.of(test.targets(), test.lastValues()),
                Metrics.of(test.targets(), test.seasonalValues()), policy.decide(candidateMetrics, championMetrics));
    }

    /**
     * The pooled test rows built with another feature recipe (a champion's), for exactly the same target
     * intervals as {@link #pooled()}'s test part, so candidate and champion are scored on the same rows.
     */
    public Dataset testRowsFor(List<FeatureRow> rows, FeatureSpec otherSpec) {
        Map<String, List<FeatureRow>> byMeter = rows.stream()
                .collect(Collectors.groupingBy(FeatureRow::meterId, TreeMap::new, Collectors.toList()));
        FeatureBuilder builder = new FeatureBuilder(otherSpec);
        List<Dataset> parts = new ArrayList<>();
        for (MeterSplit meter : meters) {
            Dataset test = meter.split().test();
            Dataset other = builder.build(latestConsecutiveRun(meter.meterId(), byMeter.get(meter.meterId())))
                    .window(test.targetTimes()[0], test.targetTimes()[test.size() - 1] + 1);
            if (!Arrays.equals(other.targetTimes(), test.targetTimes())) {
                throw new IllegalArgumentException("feature recipe " + otherSpec + " cannot score the test rows of "
                        + meter.meterId() + ": it needs more history than the snapshot has before them");
            }
            parts.add(other);
        }
        return concat(parts);
    }
}
