package io.imlma.registry;

/**
 * Relative change ΔM = (M − M_base) / |M_base| of each metric against a base version (the paper's ΔM_v, with the
 * absolute value in the denominator so that a positive ΔM always means the metric went up, also for a negative
 * R²). A component is {@code null} when the base value is zero and the change has no relative size.
 *
 * @param baseVersion the version compared against
 */
public record MetricDeltas(int baseVersion, Double mse, Double mae, Double r2) {

    /** The change from {@code base} to {@code current}. */
    public static MetricDeltas between(int baseVersion, VersionMetrics base, VersionMetrics current) {
        return new MetricDeltas(
                baseVersion,
                relativeChange(base.mse(), current.mse()),
                relativeChange(base.mae(), current.mae()),
                relativeChange(base.r2(), current.r2()));
    }

    static Double relativeChange(double base, double current) {
        return base == 0.0 ? null : (current - base) / Math.abs(base);
    }
}
