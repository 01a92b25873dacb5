package io.imlma.ml.tune;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.random.Well19937c;

/**
 * A full grid with the same number of levels per dimension, the most that fits the budget (at least 2), at cell
 * centres of the unit cube. The grid is visited in a seeded random order, so a run cut short is not biased
 * towards one corner of the space.
 */
public final class GridSearch implements Tuner {
    private final List<TrialPoint> remaining = new ArrayList<>();

    public GridSearch(SearchSpace space, int budget, long seed) {
        int d = space.size();
        int levels = Math.max(2, (int) Math.floor(Math.pow(budget, 1.0 / d) + 1e-9));
        int total = (int) Math.pow(levels, d);
        for (int index = 0; index < total; index++) {
            double[] u = new double[d];
            int rest = index;
            for (int i = 0; i < d; i++) {
                u[i] = (rest % levels + 0.5) / levels;
                rest /= levels;
            }
            remaining.add(space.point(u));
        }
        Well19937c random = new Well19937c(seed);
        for (int i = remaining.size() - 1; i > 0; i--) {
            java.util.Collections.swap(remaining, i, random.nextInt(i + 1));
        }
    }

    @Override
    public String name() {
        return "grid";
    }

    @Override
    public List<TrialPoint> propose(int n) {
        List<TrialPoint> round = new ArrayList<>(remaining.subList(0, Math.min(n, remaining.size())));
        remaining.subList(0, round.size()).clear();
        return round;
    }

    @Override
    public void observe(TrialPoint point, double loss) {
        // The grid is fixed in advance.
    }
}
