package io.imlma.ml.eval;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a candidate replaces the champion from their metrics on the same test rows.
 *
 * @param maeMargin minimum relative MAE improvement for {@link ReplacementRule#STRICT}, e.g. 0.01 = 1 %
 * @param tolerance largest allowed relative worsening of MSE, and absolute drop of R², for {@code STRICT}
 *                  (R² is already a normalized score, so its drop is measured in R² points)
 */
public record ReplacementPolicy(ReplacementRule rule, double maeMargin, double tolerance) {
    public static final Option<ReplacementRule> RULE = Option.enumValue("replacement.rule", ReplacementRule.class)
            .defaultValue(ReplacementRule.STRICT)
            .description("When a candidate replaces the champion: strict (MAE better by the margin, MSE and R² within"
                    + " tolerance), paper (MAE or R² better) or single-metric-mse.");
    public static final Option<Double> MAE_MARGIN = Option.decimal("replacement.mae-margin").defaultValue(0.01)
            .check(m -> m >= 0, "must be >= 0")
            .description("Strict rule: minimum relative MAE improvement (0.01 = 1 %).");
    public static final Option<Double> TOLERANCE = Option.decimal("replacement.tolerance").defaultValue(0.02)
            .check(t -> t >= 0, "must be >= 0")
            .description("Strict rule: largest relative MSE worsening and absolute R² drop allowed.");
    public static final List<Option<?>> OPTIONS = List.of(RULE, MAE_MARGIN, TOLERANCE);

    public ReplacementPolicy {
        if (!(maeMargin >= 0) || !(tolerance >= 0)) {
            throw new IllegalArgumentException("margin and tolerance must be >= 0: " + maeMargin + ", " + tolerance);
        }
    }

    /** The strict rule with the default margin and tolerance. */
    public static ReplacementPolicy strict() {
        return new ReplacementPolicy(ReplacementRule.STRICT, MAE_MARGIN.defaultValue().orElseThrow(),
                TOLERANCE.defaultValue().orElseThrow());
    }

    public static ReplacementPolicy from(Settings settings) {
        return new ReplacementPolicy(RULE.value(settings), MAE_MARGIN.value(settings), TOLERANCE.value(settings));
    }

    /** @param champion the champion's metrics on the same rows, or null when there is no champion */
    public ReplacementDecision decide(Metrics candidate, Metrics champion) {
        if (champion == null) {
            return new ReplacementDecision(true, rule, List.of("no champion yet"), null);
        }
        MetricChange change = new MetricChange(champion, candidate);
        List<String> reasons = new ArrayList<>();
        boolean replace = switch (rule) {
            case PAPER -> paper(candidate, champion, reasons);
            case STRICT -> strict(change, reasons);
            case SINGLE_METRIC_MSE -> compare("MSE", candidate.mse() < champion.mse(), candidate.mse(),
                    champion.mse(), reasons);
        };
        return new ReplacementDecision(replace, rule, reasons, change);
    }

    private static boolean paper(Metrics candidate, Metrics champion, List<String> reasons) {
        boolean maeBetter = compare("MAE", candidate.mae() < champion.mae(), candidate.mae(), champion.mae(), reasons);
        boolean r2Better = compare("R²", candidate.r2() > champion.r2(), candidate.r2(), champion.r2(), reasons);
        return maeBetter || r2Better;
    }

    private boolean strict(MetricChange change, List<String> reasons) {
        double maeGain = change.improvement(Metric.MAE);
        boolean maeOk = maeGain >= maeMargin && maeGain > 0;
        reasons.add(format("MAE improves by %.2f %% (%.4f → %.4f), needs at least %.2f %%", 100 * maeGain,
                change.oldMetrics().mae(), change.newMetrics().mae(), 100 * maeMargin));
        double mseGain = change.improvement(Metric.MSE);
        boolean mseOk = mseGain >= -tolerance;
        reasons.add(format("MSE changes by %+.2f %% improvement, %s (tolerance %.2f %%)", 100 * mseGain,
                mseOk ? "within tolerance" : "worse beyond tolerance", 100 * tolerance));
        double r2Drop = change.oldMetrics().r2() - change.newMetrics().r2();
        boolean r2Ok = !(r2Drop > tolerance) && !Double.isNaN(change.newMetrics().r2());
        reasons.add(format("R² %.4f → %.4f, %s (tolerance %.4f)", change.oldMetrics().r2(),
                change.newMetrics().r2(), r2Ok ? "within tolerance" : "drops beyond tolerance", tolerance));
        return maeOk && mseOk && r2Ok;
    }

    private static boolean compare(String metric, boolean better, double candidate, double champion,
                                   List<String> reasons) {
        reasons.add(format("%s %s: candidate %.6g vs champion %.6g", metric,
                better ? "better" : "not better", candidate, champion));
        return better;
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
