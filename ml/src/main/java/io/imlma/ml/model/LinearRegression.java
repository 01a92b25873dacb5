package io.imlma.ml.model;

import io.imlma.ml.data.Dataset;
import io.imlma.ml.tune.Dimension;
import io.imlma.ml.tune.SearchSpace;
import java.util.Arrays;
import java.util.Map;
import org.hipparchus.random.Well19937c;

/**
 * Linear regression with L2 regularization, trained by mini-batch gradient descent on standardized data, with
 * early stopping on validation loss. Hyperparameters: {@code learningRate}, {@code l2}, {@code batchSize},
 * {@code epochs} (maximum), {@code patience} (epochs without improvement before stopping).
 */
public final class LinearRegression implements EstimatorFactory {
    public static final String LEARNING_RATE = "learningRate";
    public static final String L2 = "l2";
    public static final String BATCH_SIZE = "batchSize";
    public static final String EPOCHS = "epochs";
    public static final String PATIENCE = "patience";

    private static final Hyperparameters DEFAULTS = Hyperparameters.of(Map.of(
            LEARNING_RATE, 0.01, L2, 1e-4, BATCH_SIZE, 32.0, EPOCHS, 100.0, PATIENCE, 5.0));

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public SearchSpace searchSpace() {
        return new SearchSpace(
                Dimension.log(LEARNING_RATE, 1e-4, 0.5),
                Dimension.log(L2, 1e-6, 1.0),
                Dimension.logInteger(BATCH_SIZE, 8, 512));
    }

    @Override
    public Hyperparameters defaults() {
        return DEFAULTS;
    }

    @Override
    public Estimator create(Hyperparameters hyperparameters, long seed) {
        Hyperparameters hp = hyperparameters.withDefaults(DEFAULTS);
        return (train, validation) -> fit(train, validation, hp, seed);
    }

    private static Model fit(Dataset train, Dataset validation, Hyperparameters hp, long seed) {
        double learningRate = hp.get(LEARNING_RATE);
        double l2 = hp.get(L2);
        int batchSize = Math.max(1, hp.getInt(BATCH_SIZE));
        Scaler scaler = Scaler.fit(train);
        Scaler.ScaledData trainData = scaler.apply(train);
        Scaler.ScaledData validationData = scaler.apply(validation);
        int d = train.featureCount();
        double[] w = new double[d];
        double[] b = {0.0};
        LinearModel best = new LinearModel(w.clone(), 0.0);
        EarlyStopping stopping = new EarlyStopping(hp.getInt(PATIENCE));
        stopping.improved(MiniBatches.meanSquaredError(best, validationData));
        Well19937c random = new Well19937c(seed);
        double[] gradient = new double[d];
        for (int epoch = 0; epoch < hp.getInt(EPOCHS) && !stopping.shouldStop(); epoch++) {
            int[] order = MiniBatches.shuffledIndices(trainData.size(), random);
            for (int start = 0; start < order.length; start += batchSize) {
                int end = Math.min(order.length, start + batchSize);
                Arrays.fill(gradient, 0.0);
                double biasGradient = 0;
                for (int k = start; k < end; k++) {
                    double[] x = trainData.x()[order[k]];
                    double error = dot(w, x) + b[0] - trainData.y()[order[k]];
                    for (int j = 0; j < d; j++) {
                        gradient[j] += error * x[j];
                    }
                    biasGradient += error;
                }
                double scale = 2.0 / (end - start);
                for (int j = 0; j < d; j++) {
                    w[j] -= learningRate * (scale * gradient[j] + 2 * l2 * w[j]);
                }
                b[0] -= learningRate * scale * biasGradient;
            }
            LinearModel current = new LinearModel(w.clone(), b[0]);
            if (stopping.improved(MiniBatches.meanSquaredError(current, validationData))) {
                best = current;
            }
        }
        return new ScaledModel(scaler, best);
    }

    private static double dot(double[] w, double[] x) {
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
            sum += w[j] * x[j];
        }
        return sum;
    }
}
