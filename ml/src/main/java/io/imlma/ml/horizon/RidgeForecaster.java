package io.imlma.ml.horizon;

import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.tune.Dimension;
import io.imlma.ml.tune.SearchSpace;
import java.util.Map;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * The linear family of Zeng et al. (AAAI 2023), fitted in closed form by ridge regression: the normal equations
 * {@code (Σ + λ·mean(diag Σ)·I) W = C} on centred statistics, solved with Hipparchus' Cholesky decomposition (QR
 * if that fails). Linear = no normalization, NLinear = {@link Normalization#LAST}; with {@code decompose}, DLinear:
 * the inputs are split into a moving-average trend (kernel {@code kernelSize}, ends padded by repetition, as the
 * published code does) and the remainder, each with its own map and its own penalty, folded into one map after
 * the fit. The penalty is relative to the features' mean variance, so one {@code l2} means the same on any scale;
 * the intercepts are not penalized.
 *
 * <p>Hyperparameters: {@code l2} and {@code kernelSize} (0 = no decomposition; tuned with {@code decompose}). The sufficient statistics of the
 * last training windows are kept, so tuning the penalty and kernel costs one small solve per trial.
 */
public final class RidgeForecaster implements HorizonEstimatorFactory {
    public static final String L2 = "l2";
    public static final String KERNEL_SIZE = "kernelSize";
    /** DLinear's published kernel. */
    public static final int DEFAULT_KERNEL = 25;
    /** Windows whose statistics are summed before a pass over the Gram matrix (keeps the Gram matrix in cache). */
    private static final int BLOCK = 64;

    private final String name;
    private final Normalization normalization;
    private final boolean decompose;
    private Statistics cached;

    /**
     * @param decompose tune DLinear's kernel, default {@value #DEFAULT_KERNEL}; without it the kernel defaults to 0
     *                  (no decomposition), though a {@code kernelSize} hyperparameter still decomposes, so one
     *                  factory (one set of statistics) fits Linear and DLinear alike
     */
    public RidgeForecaster(String name, Normalization normalization, boolean decompose) {
        this.name = name;
        this.normalization = normalization;
        this.decompose = decompose;
    }


    public static RidgeForecaster linear() {
        return new RidgeForecaster("linear", Normalization.NONE, false);
    }

    public static RidgeForecaster nlinear() {
        return new RidgeForecaster("nlinear", Normalization.LAST, false);
    }

    public static RidgeForecaster dlinear() {
        return new RidgeForecaster("dlinear", Normalization.NONE, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SearchSpace searchSpace() {
        Dimension l2 = Dimension.log(L2, 1e-7, 10.0);
        return decompose ? new SearchSpace(l2, Dimension.integer(KERNEL_SIZE, 3, 193)) : new SearchSpace(l2);
    }

    @Override
    public Hyperparameters defaults() {
        return Hyperparameters.of(Map.of(L2, 1e-3, KERNEL_SIZE, decompose ? DEFAULT_KERNEL : 0.0));
    }

    @Override
    public HorizonEstimator create(Hyperparameters hyperparameters, long seed) {
        Hyperparameters hp = hyperparameters.withDefaults(defaults());
        return (train, validation) -> solve(statistics(train), hp.get(L2), hp.getInt(KERNEL_SIZE));
    }

    private synchronized Statistics statistics(Windows train) {
        if (cached == null || cached.windows != train) {
            cached = Statistics.of(train, normalization);
        }
        return cached;
    }

    private LinearHorizonModel solve(Statistics s, double l2, int kernelSize) {
        int d = s.d;
        int h = s.h;
        Centred centred = s.centred(kernelSize);
        RealMatrix sigma = centred.covariance().copy();
        RealMatrix c = centred.cross();
        RealMatrix transform = centred.transform();
        int features = sigma.getRowDimension();
        double meanVariance = sigma.getTrace() / features;
        // inputs without variance (a perfectly regular series) take the penalty as it is
        double penalty = l2 * (meanVariance > 0 ? meanVariance : 1.0);
        for (int i = 0; i < features; i++) {
            sigma.addToEntry(i, i, penalty);
        }
        RealMatrix w = solveSymmetric(sigma, c);
        if (transform != null) {
            w = transform.transposeMultiply(w);
        }
        double[] weights = new double[d * h];
        double[] bias = s.meanY.clone();
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < h; k++) {
                double wik = w.getEntry(i, k);
                weights[i * h + k] = wik;
                bias[k] -= wik * s.meanZ[i];
            }
        }
        return new LinearHorizonModel(s.spec, normalization, weights, bias);
    }

    private static RealMatrix solveSymmetric(RealMatrix a, RealMatrix b) {
        try {
            return new CholeskyDecomposition(a).getSolver().solve(b);
        } catch (MathRuntimeException e) {
            return new QRDecomposition(a).getSolver().solve(b);
        }
    }

    /**
     * The map from the inputs (L values, then calendar features) to DLinear's features: the moving-average trend
     * of the values, the remainder, and the calendar features unchanged.
     */
    static RealMatrix decomposition(HorizonSpec spec, int kernelSize) {
        int l = spec.inputLength();
        int calendar = spec.inputFeatures() - l;
        RealMatrix t = new Array2DRowRealMatrix(2 * l + calendar, l + calendar);
        int front = (kernelSize - 1) / 2;
        for (int row = 0; row < l; row++) {
            for (int m = row - front; m < row - front + kernelSize; m++) {
                int column = Math.min(l - 1, Math.max(0, m));
                t.addToEntry(row, column, 1.0 / kernelSize);
            }
            for (int column = 0; column < l; column++) {
                t.setEntry(l + row, column, (row == column ? 1.0 : 0.0) - t.getEntry(row, column));
            }
        }
        for (int j = 0; j < calendar; j++) {
            t.setEntry(2 * l + j, l + j, 1.0);
        }
        return t;
    }

    /** Centred second moments of the features (decomposed by {@code transform} when not null). */
    private record Centred(RealMatrix covariance, RealMatrix cross, RealMatrix transform) {}

    /** Sums over the training windows of z zᵀ and z yᵀ (normalized inputs z, normalized targets y) and their means. */
    private static final class Statistics {
        /** Per kernel size (0 = none), so trying penalties costs one solve each. */
        private final java.util.Map<Integer, Centred> centred = new java.util.HashMap<>();

        final Windows windows;
        final HorizonSpec spec;
        final int d;
        final int h;
        final long n;
        final double[] gram;
        final double[] cross;
        final double[] meanZ;
        final double[] meanY;

        private Statistics(Windows windows, long n, double[] gram, double[] cross, double[] meanZ, double[] meanY) {
            this.windows = windows;
            this.spec = windows.spec();
            this.d = spec.inputFeatures();
            this.h = spec.horizon();
            this.n = n;
            this.gram = gram;
            this.cross = cross;
            this.meanZ = meanZ;
            this.meanY = meanY;
        }

        synchronized Centred centred(int kernelSize) {
            return centred.computeIfAbsent(kernelSize, k -> {
                double[][] covariance = new double[d][d];
                double[][] crossMoments = new double[d][h];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        covariance[i][j] = gram[i * d + j] / n - meanZ[i] * meanZ[j];
                    }
                    for (int o = 0; o < h; o++) {
                        crossMoments[i][o] = cross[i * h + o] / n - meanZ[i] * meanY[o];
                    }
                }
                RealMatrix sigma = new Array2DRowRealMatrix(covariance, false);
                RealMatrix c = new Array2DRowRealMatrix(crossMoments, false);
                if (k == 0) {
                    return new Centred(sigma, c, null);
                }
                RealMatrix transform = decomposition(spec, k);
                return new Centred(transform.multiply(sigma).multiplyTransposed(transform), transform.multiply(c),
                        transform);
            });
        }

        static Statistics of(Windows windows, Normalization normalization) {
            if (windows.size() == 0) {
                throw new IllegalArgumentException("no training windows");
            }
            HorizonSpec spec = windows.spec();
            int d = spec.inputFeatures();
            int h = spec.horizon();
            int l = spec.inputLength();
            double[] gram = new double[d * d];
            double[] cross = new double[d * h];
            double[] sumZ = new double[d];
            double[] sumY = new double[h];
            double[] zBlock = new double[BLOCK * d];
            double[] yBlock = new double[BLOCK * h];
            double[] z = new double[d];
            double[] shiftScale = new double[2];
            int filled = 0;
            for (int w = 0; w < windows.size(); w++) {
                double[] values = windows.series(w).values();
                int issue = windows.issueIndex(w);
                normalization.encode(spec, values, issue - l, windows.issueTime(w), z, shiftScale);
                System.arraycopy(z, 0, zBlock, filled * d, d);
                for (int k = 0; k < h; k++) {
                    double y = (values[issue + k] - shiftScale[0]) / shiftScale[1];
                    yBlock[filled * h + k] = y;
                    sumY[k] += y;
                }
                for (int j = 0; j < d; j++) {
                    sumZ[j] += z[j];
                }
                if (++filled == BLOCK || w == windows.size() - 1) {
                    accumulate(zBlock, yBlock, filled, d, h, gram, cross);
                    filled = 0;
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    gram[i * d + j] = gram[j * d + i];
                }
            }
            long n = windows.size();
            for (int j = 0; j < d; j++) {
                sumZ[j] /= n;
            }
            for (int k = 0; k < h; k++) {
                sumY[k] /= n;
            }
            return new Statistics(windows, n, gram, cross, sumZ, sumY);
        }

        /** Adds the block's z zᵀ (upper triangle) and z yᵀ; each Gram row is passed once per block. */
        private static void accumulate(double[] zBlock, double[] yBlock, int rows, int d, int h, double[] gram,
                double[] cross) {
            for (int i = 0; i < d; i++) {
                int gramRow = i * d;
                int crossRow = i * h;
                for (int r = 0; r < rows; r++) {
                    double zi = zBlock[r * d + i];
                    if (zi == 0.0) {
                        continue;
                    }
                    int zRow = r * d;
                    for (int j = i; j < d; j++) {
                        gram[gramRow + j] += zi * zBlock[zRow + j];
                    }
                    int yRow = r * h;
                    for (int k = 0; k < h; k++) {
                        cross[crossRow + k] += zi * yBlock[yRow + k];
                    }
                }
            }
        }
    }
}
