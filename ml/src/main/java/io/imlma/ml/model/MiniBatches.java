package io.imlma.ml.model;

import org.hipparchus.random.RandomGenerator;

/** Shuffled mini-batch index ranges for one epoch; the order comes from the trainer's seeded generator. */
public final class MiniBatches {
    private MiniBatches() {}

    public static int[] shuffledIndices(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    static double meanSquaredError(Model model, Scaler.ScaledData data) {
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            double error = model.predict(data.x()[i]) - data.y()[i];
            sum += error * error;
        }
        return sum / data.size();
    }
}
