package io.imlma.ml.tune;

import io.imlma.ml.model.Hyperparameters;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hyperparameters a tuner searches, each mapped onto [0, 1]; tuners see points of the unit cube. */
public record SearchSpace(List<Dimension> dimensions) {

    public SearchSpace {
        dimensions = List.copyOf(dimensions);
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one dimension");
        }
        if (new HashSet<>(dimensions.stream().map(Dimension::name).toList()).size() != dimensions.size()) {
            throw new IllegalArgumentException("dimension names must be unique: " + dimensions);
        }
    }

    public SearchSpace(Dimension... dimensions) {
        this(List.of(dimensions));
    }

    public int size() {
        return dimensions.size();
    }

    public Hyperparameters parameters(double[] unit) {
        checkLength(unit);
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < unit.length; i++) {
            values.put(dimensions.get(i).name(), dimensions.get(i).value(unit[i]));
        }
        return Hyperparameters.of(values);
    }

    public double[] unit(Hyperparameters parameters) {
        double[] unit = new double[size()];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = dimensions.get(i).unit(parameters.get(dimensions.get(i).name()));
        }
        return unit;
    }

    /**
     * The unit point of the parameters actually evaluated at {@code unit}: integer dimensions move to their
     * rounded value, so a surrogate model learns from the point that was really tried.
     */
    public double[] snap(double[] unit) {
        return unit(parameters(unit));
    }

    public TrialPoint point(double[] unit) {
        double[] snapped = snap(unit);
        return new TrialPoint(snapped, parameters(snapped));
    }

    private void checkLength(double[] unit) {
        if (unit.length != size()) {
            throw new IllegalArgumentException("expected a point of " + size() + " coordinates, got " + unit.length);
        }
    }
}
