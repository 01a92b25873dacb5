package io.imlma.ml.tune;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.random.Well19937c;

/** Points drawn uniformly from the unit cube (so log-scaled dimensions are sampled log-uniformly). */
public final class RandomSearch implements Tuner {
    private final SearchSpace space;
    private final Well19937c random;

    public RandomSearch(SearchSpace space, long seed) {
        this.space = space;
        this.random = new Well19937c(seed);
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public List<TrialPoint> propose(int n) {
        List<TrialPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(space.point(uniformPoint(space.size(), random)));
        }
        return points;
    }

    @Override
    public void observe(TrialPoint point, double loss) {
        // Random search does not learn from results.
    }

    static double[] uniformPoint(int dimensions, Well19937c random) {
        double[] u = new double[dimensions];
        for (int i = 0; i < dimensions; i++) {
            u[i] = random.nextDouble();
        }
        return u;
    }
}
