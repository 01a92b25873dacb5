package io.imlma.ml.eval;

import java.util.EnumMap;
import java.util.Map;

/**
 * How a new model's metrics compare with an old one's.
 *
 * <p>{@code relative(m)} is the paper's ΔM = (M_new − M_old) / M_old as written: negative is better for MSE and
 * MAE, positive is better for R² only while R²_old is positive. {@code improvement(m)} has one sign convention for
 * all metrics, positive = better: (old − new) / |old| for errors and (new − old) / |old| for R².
 * When M_old is 0 both are 0 if M_new is also 0 and ±∞ otherwise.
 */
public record MetricChange(Metrics oldMetrics, Metrics newMetrics) {

    public double relative(Metric metric) {
        return ratio(newMetrics.get(metric) - oldMetrics.get(metric), oldMetrics.get(metric));
    }

    public double improvement(Metric metric) {
        double gain = newMetrics.get(metric) - oldMetrics.get(metric);
        return ratio(metric.higherIsBetter() ? gain : -gain, Math.abs(oldMetrics.get(metric)));
    }

    /** ΔM for every metric, as stored in the registry. */
    public Map<Metric, Double> relativeChanges() {
        Map<Metric, Double> changes = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            changes.put(metric, relative(metric));
        }
        return changes;
    }

    private static double ratio(double difference, double base) {
        if (base == 0) {
            return difference == 0 ? 0.0 : Math.copySign(Double.POSITIVE_INFINITY, difference);
        }
        return difference / base;
    }
}
