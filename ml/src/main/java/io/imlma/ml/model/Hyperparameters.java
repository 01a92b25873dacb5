package io.imlma.ml.model;

import java.util.Map;
import java.util.TreeMap;

/** Named hyperparameter values, e.g. {@code learningRate=0.01, l2=1e-4, batchSize=32}; sorted by name. */
public record Hyperparameters(Map<String, Double> values) {

    public Hyperparameters {
        values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Hyperparameters of(Map<String, Double> values) {
        return new Hyperparameters(values);
    }

    public double get(String name) {
        Double value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing hyperparameter " + name + " in " + values);
        }
        return value;
    }

    public int getInt(String name) {
        return (int) Math.round(get(name));
    }

    /** These values with {@code defaults} filled in where a name is absent. */
    public Hyperparameters withDefaults(Hyperparameters defaults) {
        Map<String, Double> merged = new TreeMap<>(defaults.values());
        merged.putAll(values);
        return new Hyperparameters(merged);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
