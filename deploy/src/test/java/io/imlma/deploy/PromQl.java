package io.imlma.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression (or a Grafana query with $variables) reads. */
final class PromQl {

    private static final Set<String> FUNCTIONS = Set.of(
            "sum", "avg", "min", "max", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
            "group", "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets", "absent",
            "absent_over_time", "avg_over_time", "max_over_time", "min_over_time", "sum_over_time",
            "count_over_time", "quantile_over_time", "last_over_time", "present_over_time", "histogram_quantile",
            "label_replace", "label_join", "clamp", "clamp_min", "clamp_max", "abs", "ceil", "floor", "round",
            "sqrt", "exp", "ln", "log2", "log10", "time", "timestamp", "vector", "scalar", "sort", "sort_desc",
            "predict_linear",
            // Grafana template query
            "label_values");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\w+");
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** A trailing ", label)" in label_values(metric, label). */
    private static final Pattern LABEL_VALUES_LABEL = Pattern.compile(",\\s*\\w+\\s*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {}

    /** Metric names in the expression; throws for an unknown function, so misspellings do not pass as metrics. */
    static Set<String> metricNames(String expression) {
        String stripped = STRINGS.matcher(expression).replaceAll(" ");
        stripped = LABEL_MATCHERS.matcher(stripped).replaceAll(" ");
        stripped = RANGES.matcher(stripped).replaceAll(" ");
        stripped = VARIABLES.matcher(stripped).replaceAll(" ");
        stripped = LABEL_LISTS.matcher(stripped).replaceAll(" ");
        if (stripped.contains("label_values")) {
            stripped = LABEL_VALUES_LABEL.matcher(stripped).replaceAll(")");
        }
        Set<String> metrics = new LinkedHashSet<>();
        Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (matcher.group(2) != null) {
                if (!FUNCTIONS.contains(name)) {
                    throw new IllegalArgumentException("unknown PromQL function '" + name + "' in: " + expression);
                }
            } else if (!KEYWORDS.contains(name)) {
                metrics.add(name);
            }
        }
        return metrics;
    }
}
