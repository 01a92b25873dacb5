package io.imlma.ml.horizon;

import java.util.Arrays;

/** Repeats the last input value over the whole horizon (the "repeat" baseline of the ETT literature). */
public record PersistenceModel(HorizonSpec spec) implements HorizonModel {
    @Override
    public void forecastInto(double[] values, int from, long issueTime, double[] out) {
        Arrays.fill(out, 0, spec.horizon(), values[from + spec.inputLength() - 1]);
    }
}
