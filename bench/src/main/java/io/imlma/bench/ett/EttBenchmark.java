package io.imlma.bench.ett;

import io.imlma.bench.cli.Arguments;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.horizon.MlpForecaster;
import io.imlma.ml.model.Hyperparameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The ETTm1 benchmark protocol: the published rows beside this system's (see {@link EttExperiment}); {@code --help}
 * lists the options.
 */
public final class EttBenchmark {
    public static final String COMMAND = "bench-ett";

    private EttBenchmark() {}

    /** The data and the protocol's choices to try. */
    public record Options(Path input, EttExperiment.Config config) {
        public static Options from(Arguments a) {
            EttExperiment.Config d = EttExperiment.Config.defaults();
            Path input = a.path("input", BundledData.ETTM1, BundledData::ettm1, "ETT-format CSV, plain or gzip");
            List<String> tasks = csv(a.string("tasks", String.join(",", d.tasks()),
                    "univariate (the OT channel) and/or multivariate (all channels, channel-independent)"));
            List<Integer> horizons = integers(a.string("horizons", "96", "forecast horizons H, e.g. 96,192"));
            List<Integer> lengths = integers(a.string("lengths", join(d.inputLengths()),
                    "input lengths L the linear family tries (chosen on validation)"));
            List<Boolean> calendar = csv(a.string("calendar", join(d.calendar()),
                    "calendar features off and/or on (chosen on validation)")).stream().map(Boolean::parseBoolean)
                    .toList();
            boolean mlp = Boolean.parseBoolean(a.string("mlp", Boolean.toString(d.mlp()), "train the MLP too"));
            int mlpLength = a.integer("mlp-length", d.mlpInputLength(), "the MLP's input length L");
            Map<String, Double> mlpParameters = new HashMap<>(d.mlpParameters().values());
            mlpParameters.put(MlpForecaster.EPOCHS, (double) a.integer("mlp-epochs", 30, "the MLP's most epochs"));
            mlpParameters.put(MlpForecaster.WIDTH, (double) a.integer("mlp-width", 256, "hidden units per layer"));
            mlpParameters.put(MlpForecaster.DEPTH, (double) a.integer("mlp-depth", 1, "hidden layers"));
            return new Options(input, new EttExperiment.Config(
                    tasks.stream().map(t -> t.equals("univariate") ? EttExperiment.UNIVARIATE : t).toList(),
                    horizons, lengths, calendar, d.l2Grid(), mlp, mlpLength, Hyperparameters.of(mlpParameters)));
        }
    }

    public static void main(String[] args) throws Exception {
        Arguments.run(args, COMMAND, "The standard ETTm1 benchmark protocol (12/4/4-month split, z-scored with the"
                + " training statistics, MSE/MAE on the full test set): the published rows beside this system's.",
                Options::from, options -> print(run(options, row -> System.out.println("  done: " + format(row)))));
    }

    /** The published rows for the tasks and horizons asked for, then this system's. */
    public static List<EttExperiment.Row> run(Options options, Consumer<EttExperiment.Row> progress)
            throws Exception {
        EttData data = EttData.read(options.input());
        EttExperiment.Config config = options.config();
        System.out.printf(Locale.ROOT, "ETT protocol on %s (%d rows, channels %s); config %s%n", options.input(),
                data.rows(), data.channels(), config);
        List<EttExperiment.Row> rows = new ArrayList<>(EttExperiment.published().stream()
                .filter(row -> config.tasks().contains(row.task()) && config.horizons().contains(row.horizon()))
                .toList());
        rows.addAll(EttExperiment.run(data, config, progress));
        return rows;
    }

    private static void print(List<EttExperiment.Row> rows) {
        System.out.printf(Locale.ROOT, "%n%-14s | %3s | %-44s | %-22s | %4s | %7s | %7s | %7s | %7s | %s%n", "task",
                "H", "method", "source", "L", "MSE", "MAE", "val MSE", "fit s", "choice");
        rows.stream()
                .sorted(Comparator.comparing(EttExperiment.Row::task).thenComparingInt(EttExperiment.Row::horizon))
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

    private static List<String> csv(String values) {
        return Arrays.stream(values.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static List<Integer> integers(String values) {
        return csv(values).stream().map(Integer::parseInt).toList();
    }

    private static String join(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
