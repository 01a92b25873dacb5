package io.imlma.ml.horizon;

import io.imlma.ml.eval.Metrics;
import io.imlma.ml.model.Adam;
import io.imlma.ml.model.EarlyStopping;
import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.model.MiniBatches;
import io.imlma.ml.tune.Dimension;
import io.imlma.ml.tune.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;

/**
 * A multi-output MLP (ReLU hidden layers of {@code width} units, {@code depth} of them, H linear outputs) on the
 * normalized windows, trained with Adam on the mean squared error of the normalized targets plus an L2 penalty on
 * the weights, with early stopping on the validation windows' MSE. Parameters and activations are flat
 * {@code double[]} arrays and each layer's products are loops over contiguous rows, which the JIT vectorizes.
 *
 * <p>Hyperparameters: {@code learningRate}, {@code l2}, {@code batchSize}, {@code width}, {@code depth} (tuned);
 * {@code epochs} (maximum), {@code patience}, {@code samplesPerEpoch} (windows drawn per epoch, 0 = all of them:
 * neighbouring windows share all but one value, so a sample of them is nearly as informative and much cheaper)
 * and {@code validationWindows} (the early-stopping sample, 0 = all). With {@code skipL2 > 0} the network gets a
 * linear skip path: a ridge fit ({@link RidgeForecaster}, that penalty, the same normalization) on the training
 * windows, kept fixed, and the network learns its residuals — the model starts as the linear family's forecast
 * and early stopping keeps it there unless the network improves on it on the validation windows.
 */
public final class MlpForecaster implements HorizonEstimatorFactory {
    public static final String LEARNING_RATE = "learningRate";
    public static final String L2 = "l2";
    public static final String BATCH_SIZE = "batchSize";
    public static final String WIDTH = "width";
    public static final String DEPTH = "depth";
    public static final String EPOCHS = "epochs";
    public static final String PATIENCE = "patience";
    public static final String SAMPLES_PER_EPOCH = "samplesPerEpoch";
    public static final String VALIDATION_WINDOWS = "validationWindows";
    public static final String SKIP_L2 = "skipL2";

    private static final Hyperparameters DEFAULTS = Hyperparameters.of(Map.of(
            LEARNING_RATE, 1e-3, L2, 1e-5, BATCH_SIZE, 64.0, WIDTH, 256.0, DEPTH, 1.0,
            EPOCHS, 30.0, PATIENCE, 4.0, SAMPLES_PER_EPOCH, 0.0, VALIDATION_WINDOWS, 0.0, SKIP_L2, 0.0));

    private final String name;
    private final Normalization normalization;
    private final Hyperparameters defaults;

    public MlpForecaster(String name, Normalization normalization) {
        this(name, normalization, DEFAULTS);
    }

    private MlpForecaster(String name, Normalization normalization, Hyperparameters defaults) {
        this.name = name;
        this.normalization = normalization;
        this.defaults = defaults;
    }

    /** This family with other defaults for the settings a tuner does not set (e.g. fewer epochs for cheap trials). */
    public MlpForecaster withDefaults(Hyperparameters overrides) {
        return new MlpForecaster(name, normalization, overrides.withDefaults(defaults));
    }

    /** The MLP with NLinear's normalization. */
    public static MlpForecaster nmlp() {
        return new MlpForecaster("mlp", Normalization.LAST);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SearchSpace searchSpace() {
        return new SearchSpace(
                Dimension.log(LEARNING_RATE, 1e-4, 1e-2),
                Dimension.log(L2, 1e-7, 1e-2),
                Dimension.logInteger(BATCH_SIZE, 16, 512),
                Dimension.logInteger(WIDTH, 16, 512),
                Dimension.integer(DEPTH, 1, 3));
    }

    @Override
    public Hyperparameters defaults() {
        return defaults;
    }

    @Override
    public HorizonEstimator create(Hyperparameters hyperparameters, long seed) {
        Hyperparameters hp = hyperparameters.withDefaults(defaults);
        return (train, validation) -> new Training(train, validation, hp, seed).run();
    }

    /** One training run; the network is one flat parameter vector, layer by layer (weights inputs × outputs, then biases). */
    private final class Training {
        private final Windows train;
        private final Windows validation;
        private final Hyperparameters hp;
        private final Well19937c random;
        private final HorizonSpec spec;
        private final int[] sizes;
        private final int[] weightOffset;
        private final int[] biasOffset;
        private final double[] theta;
        private final LinearHorizonModel skip;

        Training(Windows train, Windows validation, Hyperparameters hp, long seed) {
            if (train.size() == 0 || validation.size() == 0) {
                throw new IllegalArgumentException("need training and validation windows, got " + train.size()
                        + " and " + validation.size());
            }
            this.train = train;
            int validationWindows = hp.getInt(VALIDATION_WINDOWS);
            this.validation = validationWindows > 0 ? validation.subsample(validationWindows, seed) : validation;
            this.hp = hp;
            this.random = new Well19937c(seed);
            this.spec = train.spec();
            int depth = Math.max(0, hp.getInt(DEPTH));
            sizes = new int[depth + 2];
            sizes[0] = spec.inputFeatures();
            Arrays.fill(sizes, 1, depth + 1, Math.max(1, hp.getInt(WIDTH)));
            sizes[depth + 1] = spec.horizon();
            weightOffset = new int[depth + 1];
            biasOffset = new int[depth + 1];
            int at = 0;
            for (int l = 0; l <= depth; l++) {
                weightOffset[l] = at;
                at += sizes[l] * sizes[l + 1];
                biasOffset[l] = at;
                at += sizes[l + 1];
            }
            theta = new double[at];
            double skipL2 = hp.get(SKIP_L2);
            skip = skipL2 > 0 ? (LinearHorizonModel) new RidgeForecaster("skip", normalization, false)
                    .create(Hyperparameters.of(Map.of(RidgeForecaster.L2, skipL2)), seed).fit(train, validation)
                    : null;
            for (int l = 0; l <= depth; l++) {
                // He initialization for ReLU layers; the output layer starts small (at zero over a skip path), so
                // training starts near the normalization's own forecast (the last value, for NLinear's) or the skip's
                double scale = Math.sqrt(2.0 / sizes[l]) * (l < depth ? 1.0 : skip != null ? 0.0 : 0.1);
                for (int i = 0; i < sizes[l] * sizes[l + 1]; i++) {
                    theta[weightOffset[l] + i] = random.nextGaussian() * scale;
                }
            }
        }

        private int layers() {
            return sizes.length - 1;
        }

        HorizonModel run() {
            double learningRate = hp.get(LEARNING_RATE);
            double l2 = hp.get(L2);
            int batchSize = Math.max(1, hp.getInt(BATCH_SIZE));
            int perEpoch = hp.getInt(SAMPLES_PER_EPOCH) > 0 ? Math.min(train.size(), hp.getInt(SAMPLES_PER_EPOCH))
                    : train.size();
            Adam adam = new Adam(learningRate, l2, weightMask());
            double[] gradient = new double[theta.length];
            double[][] activations = new double[sizes.length][];
            double[][] deltas = new double[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                activations[l] = new double[batchSize * sizes[l]];
                deltas[l] = new double[batchSize * sizes[l]];
            }
            double[] targets = new double[batchSize * spec.horizon()];
            double[] transposed = new double[Arrays.stream(sizes).max().orElseThrow() * Arrays.stream(sizes).max().orElseThrow()];
            MlpHorizonModel best = snapshot();
            EarlyStopping stopping = new EarlyStopping(hp.getInt(PATIENCE));
            stopping.improved(HorizonEvaluation.of(best, validation).mse());
            for (int epoch = 0; epoch < hp.getInt(EPOCHS) && !stopping.shouldStop(); epoch++) {
                int[] order = MiniBatches.shuffledIndices(train.size(), random);
                for (int start = 0; start < perEpoch; start += batchSize) {
                    int rows = Math.min(perEpoch, start + batchSize) - start;
                    load(order, start, rows, activations[0], targets);
                    forward(activations, rows);
                    Arrays.fill(gradient, 0.0);
                    backward(activations, deltas, targets, rows, gradient, transposed);
                    adam.step(theta, gradient, 1.0);
                }
                MlpHorizonModel current = snapshot();
                Metrics validationMetrics = HorizonEvaluation.of(current, validation);
                if (stopping.improved(validationMetrics.mse())) {
                    best = current;
                }
            }
            return best;
        }

        /** Normalized inputs and targets of windows {@code order[start, start + rows)}. */
        private void load(int[] order, int start, int rows, double[] inputs, double[] targets) {
            int d = sizes[0];
            int h = spec.horizon();
            int l = spec.inputLength();
            double[] z = new double[d];
            double[] shiftScale = new double[2];
            for (int r = 0; r < rows; r++) {
                int w = order[start + r];
                double[] values = train.series(w).values();
                int issue = train.issueIndex(w);
                normalization.encode(spec, values, issue - l, train.issueTime(w), z, shiftScale);
                System.arraycopy(z, 0, inputs, r * d, d);
                double inverse = 1.0 / shiftScale[1];
                for (int k = 0; k < h; k++) {
                    targets[r * h + k] = (values[issue + k] - shiftScale[0]) * inverse;
                }
                if (skip != null) {
                    subtractSkip(z, targets, r * h);
                }
            }
        }

        /** Subtracts the skip path's normalized output for inputs {@code z} from the targets at {@code offset}. */
        private void subtractSkip(double[] z, double[] targets, int offset) {
            int h = spec.horizon();
            double[] w = skip.weights();
            for (int k = 0; k < h; k++) {
                targets[offset + k] -= skip.bias()[k];
            }
            for (int j = 0; j < z.length; j++) {
                double zj = z[j];
                int row = j * h;
                for (int k = 0; k < h; k++) {
                    targets[offset + k] -= zj * w[row + k];
                }
            }
        }

        private void forward(double[][] activations, int rows) {
            for (int l = 0; l < layers(); l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                double[] a = activations[l];
                double[] next = activations[l + 1];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(theta, biasOffset[l], next, r * out, out);
                }
                int w0 = weightOffset[l];
                for (int i = 0; i < in; i++) {
                    int row = w0 + i * out;
                    for (int r = 0; r < rows; r++) {
                        double ai = a[r * in + i];
                        if (ai != 0.0) {
                            int o0 = r * out;
                            for (int o = 0; o < out; o++) {
                                next[o0 + o] += ai * theta[row + o];
                            }
                        }
                    }
                }
                if (l < layers() - 1) {
                    for (int k = 0; k < rows * out; k++) {
                        next[k] = Math.max(0.0, next[k]);
                    }
                }
            }
        }

        /** Gradient of the batch's mean (over rows and steps) squared error into {@code gradient}. */
        private void backward(double[][] activations, double[][] deltas, double[] targets, int rows,
                double[] gradient, double[] transposed) {
            int last = layers();
            int h = sizes[last];
            double scale = 2.0 / ((double) rows * h);
            double[] output = activations[last];
            double[] delta = deltas[last];
            for (int k = 0; k < rows * h; k++) {
                delta[k] = scale * (output[k] - targets[k]);
            }
            for (int l = last - 1; l >= 0; l--) {
                int in = sizes[l];
                int out = sizes[l + 1];
                double[] a = activations[l];
                double[] d = deltas[l + 1];
                int w0 = weightOffset[l];
                int b0 = biasOffset[l];
                for (int r = 0; r < rows; r++) {
                    int o0 = r * out;
                    for (int o = 0; o < out; o++) {
                        gradient[b0 + o] += d[o0 + o];
                    }
                }
                for (int i = 0; i < in; i++) {
                    int row = w0 + i * out;
                    for (int r = 0; r < rows; r++) {
                        double ai = a[r * in + i];
                        if (ai != 0.0) {
                            int o0 = r * out;
                            for (int o = 0; o < out; o++) {
                                gradient[row + o] += ai * d[o0 + o];
                            }
                        }
                    }
                }
                if (l == 0) {
                    break; // no gradient is needed for the inputs
                }
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        transposed[o * in + i] = theta[w0 + i * out + o];
                    }
                }
                double[] previous = deltas[l];
                Arrays.fill(previous, 0, rows * in, 0.0);
                for (int r = 0; r < rows; r++) {
                    int i0 = r * in;
                    int o0 = r * out;
                    for (int o = 0; o < out; o++) {
                        double dro = d[o0 + o];
                        if (dro != 0.0) {
                            int t0 = o * in;
                            for (int i = 0; i < in; i++) {
                                previous[i0 + i] += dro * transposed[t0 + i];
                            }
                        }
                    }
                    for (int i = 0; i < in; i++) {
                        if (a[i0 + i] <= 0.0) {
                            previous[i0 + i] = 0.0; // ReLU
                        }
                    }
                }
            }
        }

        private boolean[] weightMask() {
            boolean[] mask = new boolean[theta.length];
            for (int l = 0; l < layers(); l++) {
                Arrays.fill(mask, weightOffset[l], biasOffset[l], true);
            }
            return mask;
        }

        private MlpHorizonModel snapshot() {
            List<MlpHorizonModel.DenseLayer> layers = new ArrayList<>();
            for (int l = 0; l < layers(); l++) {
                layers.add(new MlpHorizonModel.DenseLayer(sizes[l], sizes[l + 1],
                        Arrays.copyOfRange(theta, weightOffset[l], biasOffset[l]),
                        Arrays.copyOfRange(theta, biasOffset[l], biasOffset[l] + sizes[l + 1])));
            }
            return new MlpHorizonModel(spec, normalization, layers, skip);
        }
    }
}
