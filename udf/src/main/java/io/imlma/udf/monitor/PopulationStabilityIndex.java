package io.imlma.udf.monitor;

import java.util.Arrays;

/**
 * Population stability index of a sample against a reference: bins at the reference's quantiles,
 * PSI = Σ (a_i − e_i) · ln(a_i / e_i) over the bins' shares. Common reading: below 0.1 stable, 0.1–0.25 a moderate
 * shift, above 0.25 a major one. Empty bins get a small share so the logarithm stays finite.
 */
public final class PopulationStabilityIndex {
    private static final double EMPTY_SHARE = 1e-4;

    private PopulationStabilityIndex() {}

    public static double of(double[] sortedReference, double[] sample, int bins) {
        double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            edges[i - 1] = sortedReference[(int) Math.min(sortedReference.length - 1L,
                    (long) i * sortedReference.length / bins)];
        }
        double[] expected = shares(sortedReference, edges);
        double[] actual = shares(sample, edges);
        double psi = 0;
        for (int i = 0; i < bins; i++) {
            psi += (actual[i] - expected[i]) * Math.log(actual[i] / expected[i]);
        }
        return psi;
    }

    /** Share of the values per bin; bin i holds values in (edges[i−1], edges[i]]. */
    private static double[] shares(double[] values, double[] edges) {
        double[] counts = new double[edges.length + 1];
        for (double v : values) {
            int at = Arrays.binarySearch(edges, v);
            // equal to an edge: the lowest bin whose upper edge it is, so ties at an edge fall into one bin
            int bin = at >= 0 ? firstEqual(edges, at) : -at - 1;
            counts[bin]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.max(counts[i] / values.length, EMPTY_SHARE);
        }
        return counts;
    }

    private static int firstEqual(double[] edges, int at) {
        while (at > 0 && edges[at - 1] == edges[at]) {
            at--;
        }
        return at;
    }
}
