package io.imlma.ml.tune;

import java.util.Arrays;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.MultiStartMultivariateOptimizer;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.UncorrelatedRandomVectorGenerator;
import org.hipparchus.random.UniformRandomGenerator;

/**
 * Gaussian-process regression on points of the unit cube with a Matérn 5/2 kernel and one length scale per
 * dimension (ARD), signal variance and noise variance. Targets are standardized internally. Kernel
 * hyperparameters are fitted by maximizing the log marginal likelihood with BOBYQA from several starts; the
 * Cholesky factorization and triangular solves are Hipparchus's.
 *
 * <p>Hyperparameter vector θ = (log ℓ_1 … log ℓ_d, log σ_f², log σ_n²).
 */
public final class GaussianProcess {
    private static final double MIN_LENGTH = 0.02;
    private static final double MAX_LENGTH = 5.0;
    private static final double MIN_SIGNAL = 0.05;
    private static final double MAX_SIGNAL = 20.0;
    private static final double MIN_NOISE = 1e-6;
    private static final double MAX_NOISE = 0.5;
    private static final double JITTER = 1e-9;
    private static final int EVALUATIONS_PER_START = 400;

    private final double[][] x;
    private final double[] theta;
    private final double yMean;
    private final double yScale;
    private final CholeskyDecomposition cholesky;
    private final RealVector alpha;
    private final double logMarginalLikelihood;

    private GaussianProcess(double[][] x, double[] y, double[] theta, double yMean, double yScale) {
        this.x = x;
        this.theta = theta.clone();
        this.yMean = yMean;
        this.yScale = yScale;
        RealVector standardized = standardize(y, yMean, yScale);
        this.cholesky = new CholeskyDecomposition(covariance(x, theta), 1e-8, 1e-12);
        this.alpha = cholesky.getSolver().solve(standardized);
        this.logMarginalLikelihood = logMarginalLikelihood(cholesky, alpha, standardized);
    }

    /**
     * Fits kernel hyperparameters to ({@code x}, {@code y}): the first start is {@code warmStart} (or the middle of
     * the bounds when null), the others random.
     */
    public static GaussianProcess fit(double[][] x, double[] y, double[] warmStart, int starts, RandomGenerator random) {
        double mean = Arrays.stream(y).average().orElse(0);
        double sd = Math.sqrt(Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / y.length);
        double scale = sd > 1e-12 ? sd : 1.0;
        RealVector standardized = standardize(y, mean, scale);
        int d = x[0].length;
        double[] lower = new double[d + 2];
        double[] upper = new double[d + 2];
        Arrays.fill(lower, 0, d, Math.log(MIN_LENGTH));
        Arrays.fill(upper, 0, d, Math.log(MAX_LENGTH));
        lower[d] = Math.log(MIN_SIGNAL);
        upper[d] = Math.log(MAX_SIGNAL);
        lower[d + 1] = Math.log(MIN_NOISE);
        upper[d + 1] = Math.log(MAX_NOISE);
        double[] start = warmStart != null && warmStart.length == d + 2 ? clamp(warmStart, lower, upper) : middle(lower, upper);
        double[] theta = start;
        try {
            double[] centre = middle(lower, upper);
            double[] spread = new double[d + 2];
            for (int i = 0; i < spread.length; i++) {
                spread[i] = (upper[i] - lower[i]) / (2 * Math.sqrt(3)); // uniform over the bounds
            }
            MultiStartMultivariateOptimizer optimizer = new MultiStartMultivariateOptimizer(
                    new BOBYQAOptimizer(2 * (d + 2) + 1, 0.5, 1e-4), starts,
                    new UncorrelatedRandomVectorGenerator(centre, spread, new UniformRandomGenerator(random)));
            PointValuePair best = optimizer.optimize(
                    new MaxEval(EVALUATIONS_PER_START * starts),
                    new ObjectiveFunction(t -> logMarginalLikelihood(x, standardized, t)),
                    GoalType.MAXIMIZE,
                    new InitialGuess(start),
                    new SimpleBounds(lower, upper));
            theta = best.getPoint();
        } catch (MathRuntimeException e) {
            // Keep the starting hyperparameters: a usable surrogate beats no proposal.
        }
        return new GaussianProcess(x, y, theta, mean, scale);
    }

    /** Conditions on ({@code x}, {@code y}) with fixed kernel hyperparameters, e.g. to add believed values. */
    public GaussianProcess condition(double[][] x, double[] y) {
        return new GaussianProcess(x, y, theta, yMean, yScale);
    }

    public double[] theta() {
        return theta.clone();
    }

    public double[] lengthScales() {
        double[] lengths = new double[x[0].length];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = Math.exp(theta[i]);
        }
        return lengths;
    }

    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /** Posterior mean and standard deviation of the latent function at {@code point}, on the targets' scale. */
    public Posterior predict(double[] point) {
        int n = x.length;
        RealVector k = new ArrayRealVector(n);
        double signal = Math.exp(theta[theta.length - 2]);
        for (int i = 0; i < n; i++) {
            k.setEntry(i, signal * matern52(x[i], point, theta));
        }
        double mean = k.dotProduct(alpha);
        RealVector v = k.copy();
        MatrixUtils.solveLowerTriangularSystem(cholesky.getL(), v);
        double variance = Math.max(0, signal - v.dotProduct(v));
        return new Posterior(mean * yScale + yMean, Math.sqrt(variance) * yScale);
    }

    /** Posterior of the latent function at one point. */
    public record Posterior(double mean, double sd) {}

    private static double logMarginalLikelihood(double[][] x, RealVector y, double[] theta) {
        try {
            CholeskyDecomposition cholesky = new CholeskyDecomposition(covariance(x, theta), 1e-8, 1e-12);
            return logMarginalLikelihood(cholesky, cholesky.getSolver().solve(y), y);
        } catch (MathRuntimeException e) {
            return -1e10; // not positive definite at these hyperparameters
        }
    }

    private static double logMarginalLikelihood(CholeskyDecomposition cholesky, RealVector alpha, RealVector y) {
        RealMatrix l = cholesky.getL();
        double logDeterminantHalf = 0;
        for (int i = 0; i < y.getDimension(); i++) {
            logDeterminantHalf += Math.log(l.getEntry(i, i));
        }
        return -0.5 * y.dotProduct(alpha) - logDeterminantHalf - 0.5 * y.getDimension() * Math.log(2 * Math.PI);
    }

    private static RealMatrix covariance(double[][] x, double[] theta) {
        int n = x.length;
        double signal = Math.exp(theta[theta.length - 2]);
        double noise = Math.exp(theta[theta.length - 1]);
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            k[i][i] = signal + noise + JITTER;
            for (int j = 0; j < i; j++) {
                k[i][j] = k[j][i] = signal * matern52(x[i], x[j], theta);
            }
        }
        return new Array2DRowRealMatrix(k, false);
    }

    /** Matérn 5/2 correlation (1 + √5 r + 5r²/3)·exp(−√5 r), r the length-scaled distance. */
    static double matern52(double[] a, double[] b, double[] theta) {
        double r2 = 0;
        for (int i = 0; i < a.length; i++) {
            double scaled = (a[i] - b[i]) / Math.exp(theta[i]);
            r2 += scaled * scaled;
        }
        double sqrt5r = Math.sqrt(5 * r2);
        return (1 + sqrt5r + 5 * r2 / 3) * Math.exp(-sqrt5r);
    }

    private static RealVector standardize(double[] y, double mean, double scale) {
        RealVector v = new ArrayRealVector(y.length);
        for (int i = 0; i < y.length; i++) {
            v.setEntry(i, (y[i] - mean) / scale);
        }
        return v;
    }

    private static double[] middle(double[] lower, double[] upper) {
        double[] m = new double[lower.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (lower[i] + upper[i]) / 2;
        }
        return m;
    }

    private static double[] clamp(double[] v, double[] lower, double[] upper) {
        double[] c = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            c[i] = Math.min(upper[i], Math.max(lower[i], v[i]));
        }
        return c;
    }
}
