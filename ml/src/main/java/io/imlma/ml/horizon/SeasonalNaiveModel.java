package io.imlma.ml.horizon;

/** Repeats the last {@code period} input values (one day: 96 intervals) over the horizon. */
public record SeasonalNaiveModel(HorizonSpec spec, int period) implements HorizonModel {
    public SeasonalNaiveModel {
        if (period < 1 || period > spec.inputLength()) {
            throw new IllegalArgumentException("period must be in [1, L = " + spec.inputLength() + "], got " + period);
        }
    }

    @Override
    public void forecastInto(double[] values, int from, long issueTime, double[] out) {
        int seasonStart = from + spec.inputLength() - period;
        for (int k = 0; k < spec.horizon(); k++) {
            out[k] = values[seasonStart + k % period];
        }
    }
}
