package io.imlma.bench.ett;

import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonEstimatorFactory;
import io.imlma.ml.horizon.HorizonEvaluation;
import io.imlma.ml.horizon.HorizonModel;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.MlpForecaster;
import io.imlma.ml.horizon.Normalization;
import io.imlma.ml.horizon.PersistenceModel;
import io.imlma.ml.horizon.RidgeForecaster;
import io.imlma.ml.horizon.SeasonalNaiveModel;
import io.imlma.ml.model.Hyperparameters;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * This system's trainers and baselines on the ETTm1 protocol ({@link EttProtocol}), beside the published figures.
 * Every choice (input length L, calendar features, ridge penalty) is made on the validation part; the test part is
 * scored once per chosen model. The default trainer is the one with the lowest validation MSE.
 */
public final class EttExperiment {
    public static final String UNIVARIATE = "univariate OT";
    public static final String MULTIVARIATE = "multivariate";
    public static final String THIS_SYSTEM = "this system";

    private EttExperiment() {}

    /**
     * One row of the comparison.
     *
     * @param inputLength   L (0 where the source does not say or the method reads only what it needs)
     * @param validationMse the validation MSE the choice was made on (NaN for published rows and baselines)
     * @param choice        the chosen settings
     * @param seconds       fitting time of the chosen settings' search (all candidates), wall clock
     */
    public record Row(String task, int horizon, String method, String source, int inputLength, double mse, double mae,
            double validationMse, String choice, double seconds) {}

    /**
     * @param tasks        {@link #UNIVARIATE} and/or {@link #MULTIVARIATE}
     * @param horizons     H values to run (96, and 192 if affordable)
     * @param inputLengths L candidates for the linear family
     * @param calendar     calendar-feature settings tried for the linear family
     * @param l2Grid       ridge penalties tried
     * @param mlp          whether to train the MLP (the slow part)
     * @param mlpInputLength L of the MLP
     * @param mlpParameters the MLP's hyperparameters (defaults fill the rest)
     */
    public record Config(List<String> tasks, List<Integer> horizons, List<Integer> inputLengths,
            List<Boolean> calendar, List<Double> l2Grid, boolean mlp, int mlpInputLength,
            Hyperparameters mlpParameters) {
        public static Config defaults() {
            return new Config(List.of(UNIVARIATE, MULTIVARIATE), List.of(96), List.of(336, 512, 720),
                    List.of(false, true),
                    List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0), true, 336,
                    Hyperparameters.of(Map.of(MlpForecaster.SAMPLES_PER_EPOCH, 50_000.0,
                            MlpForecaster.VALIDATION_WINDOWS, 20_000.0)));
        }
    }

    /** Published ETTm1 figures (MSE/MAE), as cited in the design. */
    public static List<Row> published() {
        List<Row> rows = new ArrayList<>();
        rows.add(published(UNIVARIATE, 96, "Linear", "Zeng et al. 2023", 336, 0.028, 0.125));
        rows.add(published(UNIVARIATE, 96, "NLinear", "Zeng et al. 2023", 336, 0.026, 0.122));
        rows.add(published(UNIVARIATE, 96, "DLinear", "Zeng et al. 2023 (0.026–0.029 / 0.122–0.127)", 336, 0.028,
                0.125));
        rows.add(published(UNIVARIATE, 96, "Informer", "Zhou et al. 2021", 0, 0.194, 0.372));
        rows.add(published(MULTIVARIATE, 96, "DLinear", "Zeng et al. 2023", 336, 0.299, 0.343));
        rows.add(published(MULTIVARIATE, 96, "PatchTST/42", "Nie et al. 2023", 336, 0.290, 0.342));
        rows.add(published(MULTIVARIATE, 96, "repeat last value", "Nie et al. 2023", 0, 1.214, 0.665));
        return rows;
    }

    private static Row published(String task, int h, String method, String source, int l, double mse, double mae) {
        return new Row(task, h, method, source, l, mse, mae, Double.NaN, "", Double.NaN);
    }

    /** This system's rows for both tasks and every configured horizon; {@code progress} hears each finished row. */
    public static List<Row> run(EttData data, Config config, Consumer<Row> progress) {
        List<Row> rows = new ArrayList<>();
        for (String task : config.tasks()) {
            if (!task.equals(UNIVARIATE) && !task.equals(MULTIVARIATE)) {
                throw new IllegalArgumentException("unknown task " + task + ", expected " + UNIVARIATE + " or "
                        + MULTIVARIATE);
            }
            List<String> channels = task.equals(UNIVARIATE) ? List.of(EttProtocol.TARGET) : data.channels();
            for (int h : config.horizons()) {
                for (Row row : runTask(data, task, channels, h, config)) {
                    progress.accept(row);
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static List<Row> runTask(EttData data, String task, List<String> channels, int h, Config config) {
        ZoneId utc = ZoneId.of("UTC");
        List<Row> rows = new ArrayList<>();
        EttProtocol.Split baselineSplit = EttProtocol.split(data, channels, new HorizonSpec(96, h, false, utc));
        rows.add(baseline(task, h, "persistence (repeat last value)",
                new PersistenceModel(new HorizonSpec(1, h, false, utc)), baselineSplit));
        rows.add(baseline(task, h, "seasonal naive (repeat last day)",
                new SeasonalNaiveModel(new HorizonSpec(96, h, false, utc), 96), baselineSplit));

        Map<String, Best> best = new LinkedHashMap<>();
        for (int l : config.inputLengths()) {
            for (boolean calendar : config.calendar()) {
                EttProtocol.Split split = EttProtocol.split(data, channels, new HorizonSpec(l, h, calendar, utc));
                for (Normalization normalization : Normalization.values()) {
                    // one factory per normalization: its statistics serve every penalty and both Linear and DLinear
                    RidgeForecaster factory = new RidgeForecaster("ridge", normalization, false);
                    for (int kernel : normalization == Normalization.NONE
                            ? List.of(0, RidgeForecaster.DEFAULT_KERNEL) : List.of(0)) {
                        String method = ridgeMethod(normalization, kernel);
                        for (double l2 : config.l2Grid()) {
                            Hyperparameters hp = Hyperparameters.of(Map.of(RidgeForecaster.L2, l2,
                                    RidgeForecaster.KERNEL_SIZE, (double) kernel));
                            String choice = String.format(Locale.ROOT, "L=%d calendar=%s l2=%g%s", l, calendar, l2,
                                    kernel > 0 ? " kernel=" + kernel : "");
                            best.computeIfAbsent(method, m -> new Best()).offer(factory, hp, split, choice);
                        }
                    }
                }
            }
        }
        if (config.mlp()) {
            EttProtocol.Split split = EttProtocol.split(data, channels,
                    new HorizonSpec(config.mlpInputLength(), h, false, utc));
            MlpForecaster factory = MlpForecaster.nmlp();
            Hyperparameters hp = config.mlpParameters().withDefaults(factory.defaults());
            best.computeIfAbsent("MLP (NLinear normalization)", m -> new Best())
                    .offer(factory, hp, split, "L=" + config.mlpInputLength() + " " + hp);
        }
        best.forEach((method, b) -> rows.add(b.row(task, h, method)));
        Map.Entry<String, Best> winner = best.entrySet().stream()
                .min(Comparator.comparingDouble(e -> e.getValue().validationMse)).orElseThrow();
        Row w = winner.getValue().row(task, h, "default trainer = " + winner.getKey());
        rows.add(w);
        return rows;
    }

    private static String ridgeMethod(Normalization normalization, int kernel) {
        return switch (normalization) {
            case NONE -> kernel > 0 ? "DLinear (ridge)" : "Linear (ridge)";
            case LAST -> "NLinear (ridge)";
            case LAST_SCALED -> "NLinear scaled (ridge)";
        };
    }

    private static Row baseline(String task, int h, String method, HorizonModel model, EttProtocol.Split split) {
        Metrics test = HorizonEvaluation.of(model, split.test());
        return new Row(task, h, method, THIS_SYSTEM, model.spec().inputLength(), test.mse(), test.mae(), Double.NaN,
                test.count() / h + " test windows", 0.0);
    }

    /** The best candidate of one method so far, by validation MSE, with its test metrics. */
    private static final class Best {
        double validationMse = Double.POSITIVE_INFINITY;
        Metrics test;
        String choice;
        int inputLength;
        double seconds;

        void offer(HorizonEstimatorFactory factory, Hyperparameters hp, EttProtocol.Split split, String candidate) {
            long started = System.nanoTime();
            HorizonModel model = factory.create(hp, 1).fit(split.train(), split.validation());
            seconds += (System.nanoTime() - started) / 1e9;
            double mse = HorizonEvaluation.of(model, split.validation()).mse();
            if (mse < validationMse) {
                validationMse = mse;
                test = HorizonEvaluation.of(model, split.test());
                choice = candidate;
                inputLength = model.spec().inputLength();
            }
        }

        Row row(String task, int h, String method) {
            return new Row(task, h, method, THIS_SYSTEM, inputLength, test.mse(), test.mae(), validationMse, choice,
                    seconds);
        }
    }
}
