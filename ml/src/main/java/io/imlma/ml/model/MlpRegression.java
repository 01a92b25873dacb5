package io.imlma.ml.model;

import io.imlma.ml.data.Dataset;
import io.imlma.ml.tune.Dimension;
import io.imlma.ml.tune.SearchSpace;
import java.util.Map;
import org.hipparchus.random.Well19937c;

/**
 * A one-hidden-layer tanh network trained with Adam on standardized data, L2 weight decay and early stopping on
 * validation loss. Hyperparameters: {@code learningRate}, {@code l2}, {@code batchSize}, {@code hiddenUnits},
 * {@code epochs} (maximum), {@code patience}.
 */
public final class MlpRegression implements EstimatorFactory {
    public static final String LEARNING_RATE = "learningRate";
    public static final String L2 = "l2";
    public static final String BATCH_SIZE = "batchSize";
    public static final String HIDDEN_UNITS = "hiddenUnits";
    public static final String EPOCHS = "epochs";
    public static final String PATIENCE = "patience";

    private static final Hyperparameters DEFAULTS = Hyperparameters.of(Map.of(
            LEARNING_RATE, 1e-3, L2, 1e-4, BATCH_SIZE, 32.0, HIDDEN_UNITS, 16.0, EPOCHS, 60.0, PATIENCE, 5.0));

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public SearchSpace searchSpace() {
        return new SearchSpace(
                Dimension.log(LEARNING_RATE, 1e-4, 0.1),
                Dimension.log(L2, 1e-6, 1e-1),
                Dimension.logInteger(BATCH_SIZE, 8, 512),
                Dimension.logInteger(HIDDEN_UNITS, 2, 64));
    }

    @Override
    public Hyperparameters defaults() {
        return DEFAULTS;
    }

    @Override
    public Estimator create(Hyperparameters hyperparameters, long seed) {
        Hyperparameters hp = hyperparameters.withDefaults(DEFAULTS);
        return (train, validation) -> new Training(train, validation, hp, seed).run();
    }

    /** Parameters are one flat vector (hidden weights, hidden biases, output weights, output bias) so Adam is one loop. */
    private static final class Training {
        private final Scaler scaler;
        private final Scaler.ScaledData train;
        private final Scaler.ScaledData validation;
        private final Hyperparameters hp;
        private final Well19937c random;
        private final int inputs;
        private final int hidden;
        private final double[] theta;

        Training(Dataset train, Dataset validation, Hyperparameters hp, long seed) {
            this.scaler = Scaler.fit(train);
            this.train = scaler.apply(train);
            this.validation = scaler.apply(validation);
            this.hp = hp;
            this.random = new Well19937c(seed);
            this.inputs = train.featureCount();
            this.hidden = Math.max(1, hp.getInt(HIDDEN_UNITS));
            this.theta = new double[hidden * inputs + hidden + hidden + 1];
            double inputScale = Math.sqrt(1.0 / inputs);
            for (int i = 0; i < hidden * inputs; i++) {
                theta[i] = random.nextGaussian() * inputScale;
            }
            double outputScale = Math.sqrt(1.0 / hidden);
            for (int h = 0; h < hidden; h++) {
                theta[outputWeight(h)] = random.nextGaussian() * outputScale;
            }
        }

        private int hiddenBias(int h) {
            return hidden * inputs + h;
        }

        private int outputWeight(int h) {
            return hidden * inputs + hidden + h;
        }

        private int outputBias() {
            return theta.length - 1;
        }

        Model run() {
            double learningRate = hp.get(LEARNING_RATE);
            double l2 = hp.get(L2);
            int batchSize = Math.max(1, hp.getInt(BATCH_SIZE));
            Adam adam = new Adam(learningRate, l2, weightMask());
            double[] gradient = new double[theta.length];
            double[] activations = new double[hidden];
            MlpModel best = snapshot();
            EarlyStopping stopping = new EarlyStopping(hp.getInt(PATIENCE));
            stopping.improved(MiniBatches.meanSquaredError(best, validation));
            for (int epoch = 0; epoch < hp.getInt(EPOCHS) && !stopping.shouldStop(); epoch++) {
                int[] order = MiniBatches.shuffledIndices(train.size(), random);
                for (int start = 0; start < order.length; start += batchSize) {
                    int end = Math.min(order.length, start + batchSize);
                    java.util.Arrays.fill(gradient, 0.0);
                    for (int k = start; k < end; k++) {
                        accumulateGradient(train.x()[order[k]], train.y()[order[k]], activations, gradient);
                    }
                    adam.step(theta, gradient, 2.0 / (end - start));
                }
                MlpModel current = snapshot();
                if (stopping.improved(MiniBatches.meanSquaredError(current, validation))) {
                    best = current;
                }
            }
            return new ScaledModel(scaler, best);
        }

        /** Hidden and output weights get the L2 penalty, biases do not. */
        private boolean[] weightMask() {
            boolean[] mask = new boolean[theta.length];
            for (int i = 0; i < theta.length; i++) {
                mask[i] = i < hidden * inputs || (i >= outputWeight(0) && i < outputBias());
            }
            return mask;
        }

        /** Adds d(error²/2)/dθ of one row to {@code gradient} (the 2/batch factor is applied by the caller). */
        private void accumulateGradient(double[] x, double y, double[] activations, double[] gradient) {
            double prediction = theta[outputBias()];
            for (int h = 0; h < hidden; h++) {
                double a = theta[hiddenBias(h)];
                int row = h * inputs;
                for (int j = 0; j < inputs; j++) {
                    a += theta[row + j] * x[j];
                }
                activations[h] = Math.tanh(a);
                prediction += theta[outputWeight(h)] * activations[h];
            }
            double error = prediction - y;
            gradient[outputBias()] += error;
            for (int h = 0; h < hidden; h++) {
                gradient[outputWeight(h)] += error * activations[h];
                double delta = error * theta[outputWeight(h)] * (1 - activations[h] * activations[h]);
                gradient[hiddenBias(h)] += delta;
                int row = h * inputs;
                for (int j = 0; j < inputs; j++) {
                    gradient[row + j] += delta * x[j];
                }
            }
        }

        private MlpModel snapshot() {
            double[][] weights = new double[hidden][inputs];
            double[] biases = new double[hidden];
            double[] output = new double[hidden];
            for (int h = 0; h < hidden; h++) {
                System.arraycopy(theta, h * inputs, weights[h], 0, inputs);
                biases[h] = theta[hiddenBias(h)];
                output[h] = theta[outputWeight(h)];
            }
            return new MlpModel(weights, biases, output, theta[outputBias()]);
        }
    }
}
