package io.imlma.bench;

import io.imlma.ml.benchmark.EttData;
import io.imlma.ml.benchmark.EttExperiment;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.model.Hyperparameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ETTm1 benchmark protocol: the published rows beside this system's (see {@link EttExperiment}). Options:
 * {@code --input <ETT csv, plain or gzip>} (default the bundled data/ETTm1.csv.gz), {@code --tasks
 * univariate,multivariate}, {@code --horizons 96,192},
 * {@code --lengths 336,512,720} (L candidates of the linear family), {@code --calendar false,true},
 * {@code --mlp true|false}, {@code --mlp-length 336}, {@code --mlp-epochs 30}, {@code --mlp-width 256},
 * {@code --mlp-depth 1}.
 */
public final class EttBenchmark {
    private static final Set<String> OPTIONS = Set.of("input", "tasks", "horizons", "lengths", "calendar", "mlp", "mlp-length",
            "mlp-epochs", "mlp-width", "mlp-depth");

    private EttBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args, OPTIONS);
        Path input = options.containsKey("input") ? Path.of(options.get("input")) : BundledData.ettm1();
        EttExperiment.Config d = EttExperiment.Config.defaults();
        Map<String, Double> mlp = new HashMap<>(d.mlpParameters().values());
        putIfGiven(options, "mlp-epochs", "epochs", mlp);
        putIfGiven(options, "mlp-width", "width", mlp);
        putIfGiven(options, "mlp-depth", "depth", mlp);
        EttExperiment.Config config = new EttExperiment.Config(
                options.containsKey("tasks") ? Arrays.stream(options.get("tasks").split(","))
                        .map(t -> t.trim().equals("univariate") ? EttExperiment.UNIVARIATE : t.trim()).toList()
                        : d.tasks(),
                integers(options.getOrDefault("horizons", "96")),
                options.containsKey("lengths") ? integers(options.get("lengths")) : d.inputLengths(),
                options.containsKey("calendar")
                        ? Arrays.stream(options.get("calendar").split(",")).map(Boolean::parseBoolean).toList()
                        : d.calendar(),
                d.l2Grid(),
                Boolean.parseBoolean(options.getOrDefault("mlp", "true")),
                Integer.parseInt(options.getOrDefault("mlp-length", String.valueOf(d.mlpInputLength()))),
                Hyperparameters.of(mlp));
        EttData data = EttData.read(input);
        System.out.printf(Locale.ROOT, "ETT protocol on %s (%d rows, channels %s); config %s%n", input, data.rows(),
                data.channels(), config);
        long started = System.nanoTime();
        List<EttExperiment.Row> rows = new ArrayList<>(EttExperiment.published().stream()
                .filter(row -> config.tasks().contains(row.task()) && config.horizons().contains(row.horizon()))
                .toList());
        rows.addAll(EttExperiment.run(data, config, row -> System.out.println("  done: " + format(row))));
        System.out.printf(Locale.ROOT, "%nall runs: %.0f s%n%n", (System.nanoTime() - started) / 1e9);
        System.out.printf(Locale.ROOT, "%-14s | %3s | %-44s | %-22s | %4s | %7s | %7s | %7s | %7s | %s%n", "task", "H",
                "method", "source", "L", "MSE", "MAE", "val MSE", "fit s", "choice");
        rows.stream()
                .sorted(java.util.Comparator.comparing(EttExperiment.Row::task).thenComparingInt(EttExperiment.Row::horizon))
                .forEach(row -> System.out.println(format(row)));
    }

    private static String format(EttExperiment.Row row) {
        return String.format(Locale.ROOT, "%-14s | %3d | %-44s | %-22s | %4s | %7.4f | %7.4f | %7s | %7s | %s",
                row.task(), row.horizon(), row.method(), abbreviate(row.source(), 22),
                row.inputLength() > 0 ? String.valueOf(row.inputLength()) : "", row.mse(), row.mae(),
                Double.isNaN(row.validationMse()) ? "" : String.format(Locale.ROOT, "%.4f", row.validationMse()),
                Double.isNaN(row.seconds()) ? "" : String.format(Locale.ROOT, "%.1f", row.seconds()), row.choice());
    }

    private static String abbreviate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    private static void putIfGiven(Map<String, String> options, String option, String name, Map<String, Double> into) {
        if (options.containsKey(option)) {
            into.put(name, Double.parseDouble(options.get(option)));
        }
    }

    private static List<Integer> integers(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** {@code --name value} pairs; an unknown name or a missing value fails, naming it. */
    static Map<String, String> options(String[] args, Set<String> known) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: --" + String.join(", --",
                        new java.util.TreeSet<>(known)));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            options.put(name, args[++i]);
        }
        return options;
    }
}
