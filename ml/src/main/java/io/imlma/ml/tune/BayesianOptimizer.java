package io.imlma.ml.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.hipparchus.random.Well19937c;

/**
 * Bayesian optimization: a {@link GaussianProcess} surrogate of the loss and expected improvement (EI).
 *
 * <ul>
 *   <li>The first {@code initialPoints} proposals are a random Latin hypercube: each dimension's range is cut
 *       into as many strata as points and each stratum is sampled once, so the start covers the space evenly
 *       (uniform random starts leave whole regions unseen often enough to mislead the surrogate).</li>
 *   <li>Losses are modelled on a log scale while all are positive (validation errors span orders of magnitude
 *       between good and diverged settings), otherwise as they are; non-finite losses count as the worst seen.</li>
 *   <li>EI is maximized over random candidates plus perturbations of the best points so far, then the best few
 *       are refined locally with Nelder–Mead.</li>
 *   <li>Batches use the kriging believer: each chosen point, and every proposed point still pending, is added
 *       to the surrogate with its posterior mean as a believed value before the next point is chosen, so one
 *       round spreads out instead of proposing the same point several times.</li>
 * </ul>
 */
public final class BayesianOptimizer implements Tuner {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    /**
     * @param initialPoints   random points before the surrogate takes over (at least 2)
     * @param candidates      random candidates per EI maximization
     * @param refinements     best candidates refined locally
     * @param likelihoodStarts starts of the marginal-likelihood maximization
     * @param exploration     EI's ξ, in units of the modelled loss's standard deviation
     */
    public record Config(int initialPoints, int candidates, int refinements, int likelihoodStarts, double exploration) {
        public Config {
            if (initialPoints < 2 || candidates < 1 || refinements < 0 || likelihoodStarts < 1 || exploration < 0) {
                throw new IllegalArgumentException("bad Bayesian optimization settings: " + this);
            }
        }

        public static Config defaults() {
            return new Config(5, 2000, 3, 3, 0.01);
        }
    }

    private final SearchSpace space;
    private final Config config;
    private final Well19937c random;
    private final List<double[]> observedPoints = new ArrayList<>();
    private final List<Double> observedLosses = new ArrayList<>();
    private final List<double[]> pending = new ArrayList<>();
    private final List<double[]> initialDesign;
    private double[] theta;

    public BayesianOptimizer(SearchSpace space, Config config, long seed) {
        this.space = space;
        this.config = config;
        this.random = new Well19937c(seed);
        this.initialDesign = latinHypercube(config.initialPoints(), space.size(), random);
    }

    public BayesianOptimizer(SearchSpace space, long seed) {
        this(space, Config.defaults(), seed);
    }

    @Override
    public String name() {
        return "bayesian";
    }

    @Override
    public List<TrialPoint> propose(int n) {
        List<TrialPoint> round = new ArrayList<>(n);
        GaussianProcess fitted = null;
        for (int i = 0; i < n; i++) {
            double[] unit;
            if (!initialDesign.isEmpty()) {
                unit = initialDesign.remove(0);
            } else if (observedPoints.size() < 2) {
                unit = RandomSearch.uniformPoint(space.size(), random);
            } else {
                if (fitted == null) {
                    fitted = fitSurrogate();
                }
                unit = maximizeExpectedImprovement(believe(fitted));
            }
            TrialPoint point = space.point(unit);
            pending.add(point.unit());
            round.add(point);
        }
        return round;
    }

    @Override
    public void observe(TrialPoint point, double loss) {
        pending.removeIf(p -> Arrays.equals(p, point.unit()));
        observedPoints.add(point.unit().clone());
        observedLosses.add(loss);
    }

    /**
     * The observed point with the lowest posterior mean: with noisy losses, the single lowest observation is
     * often a lucky draw, so this is the better choice of final hyperparameters.
     */
    public double[] recommend() {
        if (observedPoints.isEmpty()) {
            throw new IllegalStateException("nothing observed yet");
        }
        if (observedPoints.size() < 2) {
            return observedPoints.get(0).clone();
        }
        GaussianProcess gp = fitSurrogate();
        return observedPoints.stream()
                .min(Comparator.comparingDouble(p -> gp.predict(p).mean()))
                .orElseThrow()
                .clone();
    }

    private GaussianProcess fitSurrogate() {
        GaussianProcess gp = GaussianProcess.fit(observedPoints.toArray(double[][]::new), modelledLosses(), theta,
                config.likelihoodStarts(), random);
        theta = gp.theta();
        return gp;
    }

    /** The surrogate with every pending point added at its posterior mean. */
    private GaussianProcess believe(GaussianProcess gp) {
        if (pending.isEmpty()) {
            return gp;
        }
        List<double[]> points = new ArrayList<>(observedPoints);
        double[] losses = modelledLosses();
        double[] all = Arrays.copyOf(losses, losses.length + pending.size());
        for (int i = 0; i < pending.size(); i++) {
            all[losses.length + i] = gp.predict(pending.get(i)).mean();
            points.add(pending.get(i));
        }
        return gp.condition(points.toArray(double[][]::new), all);
    }

    private double[] modelledLosses() {
        double worst = observedLosses.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue)
                .max().orElse(0.0);
        double[] losses = observedLosses.stream().mapToDouble(l -> Double.isFinite(l) ? l : worst).toArray();
        boolean positive = Arrays.stream(losses).allMatch(l -> l > 0);
        return positive ? Arrays.stream(losses).map(Math::log).toArray() : losses;
    }

    private double[] maximizeExpectedImprovement(GaussianProcess gp) {
        double best = observedPoints.stream().mapToDouble(p -> gp.predict(p).mean()).min().orElseThrow();
        double xi = config.exploration() * standardDeviation(modelledLosses());
        List<double[]> candidates = new ArrayList<>(config.candidates());
        for (int i = 0; i < config.candidates(); i++) {
            candidates.add(RandomSearch.uniformPoint(space.size(), random));
        }
        for (double[] incumbent : bestObserved(5)) {
            for (int i = 0; i < config.candidates() / 40; i++) {
                double[] c = new double[incumbent.length];
                for (int j = 0; j < c.length; j++) {
                    c[j] = clamp(incumbent[j] + 0.05 * random.nextGaussian());
                }
                candidates.add(c);
            }
        }
        List<PointValuePair> scored = new ArrayList<>(candidates.size());
        for (double[] c : candidates) {
            scored.add(new PointValuePair(c, expectedImprovement(gp, c, best, xi)));
        }
        scored.sort(Comparator.comparingDouble((PointValuePair p) -> p.getValue()).reversed());
        PointValuePair winner = scored.get(0);
        for (int i = 0; i < Math.min(config.refinements(), scored.size()); i++) {
            PointValuePair refined = refine(gp, scored.get(i).getPoint(), best, xi);
            if (refined.getValue() > winner.getValue()) {
                winner = refined;
            }
        }
        return winner.getPoint();
    }

    private PointValuePair refine(GaussianProcess gp, double[] start, double best, double xi) {
        try {
            PointValuePair local = new SimplexOptimizer(1e-6, 1e-12).optimize(
                    new MaxEval(200),
                    new ObjectiveFunction(p -> expectedImprovement(gp, clamp(p), best, xi)),
                    GoalType.MAXIMIZE,
                    new InitialGuess(start),
                    new NelderMeadSimplex(space.size(), 0.05));
            double[] point = clamp(local.getPoint());
            return new PointValuePair(point, expectedImprovement(gp, point, best, xi));
        } catch (RuntimeException e) {
            return new PointValuePair(start, expectedImprovement(gp, start, best, xi));
        }
    }

    /** EI for minimization: E[max(best − f(x) − ξ, 0)]. */
    static double expectedImprovement(GaussianProcess gp, double[] point, double best, double xi) {
        GaussianProcess.Posterior posterior = gp.predict(point);
        double gain = best - posterior.mean() - xi;
        if (posterior.sd() < 1e-12) {
            return Math.max(gain, 0);
        }
        double z = gain / posterior.sd();
        return gain * STANDARD_NORMAL.cumulativeProbability(z) + posterior.sd() * STANDARD_NORMAL.density(z);
    }

    private List<double[]> bestObserved(int count) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < observedLosses.size(); i++) {
            order.add(i);
        }
        double[] losses = modelledLosses();
        order.sort(Comparator.comparingDouble(i -> losses[i]));
        return order.stream().limit(count).map(observedPoints::get).toList();
    }

    private static List<double[]> latinHypercube(int n, int dimensions, Well19937c random) {
        List<double[]> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(new double[dimensions]);
        }
        for (int j = 0; j < dimensions; j++) {
            int[] strata = new int[n];
            for (int i = 0; i < n; i++) {
                strata[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int k = random.nextInt(i + 1);
                int swap = strata[i];
                strata[i] = strata[k];
                strata[k] = swap;
            }
            for (int i = 0; i < n; i++) {
                points.get(i)[j] = (strata[i] + random.nextDouble()) / n;
            }
        }
        return points;
    }

    private static double standardDeviation(double[] values) {
        double mean = Arrays.stream(values).average().orElse(0);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length);
    }

    private static double clamp(double u) {
        return Math.min(1, Math.max(0, u));
    }

    private static double[] clamp(double[] p) {
        double[] c = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            c[i] = clamp(p[i]);
        }
        return c;
    }
}
