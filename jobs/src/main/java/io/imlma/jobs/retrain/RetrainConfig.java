package io.imlma.jobs.retrain;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.TimeRange;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.launch.RetrainJobSpec;
import io.imlma.jobs.snapshot.SnapshotStage;
import io.imlma.ml.eval.Metric;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.horizon.HorizonEstimatorFactory;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.MlpForecaster;
import io.imlma.ml.horizon.Normalization;
import io.imlma.ml.horizon.RidgeForecaster;
import io.imlma.ml.horizon.TrainingWindows;
import io.imlma.ml.tune.BayesianOptimizer;
import io.imlma.ml.tune.GridSearch;
import io.imlma.ml.tune.RandomSearch;
import io.imlma.ml.tune.Tuner;
import io.imlma.ml.tune.TuningBudget;
import io.imlma.registry.ModelStore;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Validated settings of one retraining request; every problem is reported at start, naming the setting. The
 * training's own settings are {@link #OPTIONS}, the request's {@link RetrainJobSpec#REQUEST_OPTIONS} (listed in
 * docs/settings.md).
 *
 * @param snapshots     the snapshot stage's configuration (paths, partitioning)
 * @param modelStore    where model files and their backup copies go ({@link ModelStore#location})
 * @param forecast      the forecast's shape: H intervals from the last L
 * @param minWindows    meters with fewer training windows than this are left out of training
 * @param modelUpdatesTopic Kafka topic for model-update events; {@code kafkaBootstrap} null = do not publish
 */
public record RetrainConfig(
        String requestId,
        String modelName,
        TimeRange range,
        SnapshotStage.Config snapshots,
        IntegrityStore modelStore,
        String trainer,
        HorizonSpec forecast,
        int minWindows,
        TuningMethod tuningMethod,
        TuningBudget budget,
        long tunerSeed,
        Metric lossMetric,
        ReplacementPolicy policy,
        String kafkaBootstrap,
        String modelUpdatesTopic) {

    /**
     * The trainers by name. Only the normalized members suit one model shared by meters of different levels;
     * {@code nlinear} is the default: on ETTm1 it is within 0.6 % of the best validation MSE of the linear family
     * and level-free, and it trains in closed form, so a retraining stays well inside the loop's minute.
     */
    private static final Map<String, Supplier<HorizonEstimatorFactory>> TRAINERS = Map.of(
            "linear", RidgeForecaster::linear,
            "nlinear", RidgeForecaster::nlinear,
            "nlinear-scaled", () -> new RidgeForecaster("nlinear-scaled", Normalization.LAST_SCALED, false),
            "dlinear", RidgeForecaster::dlinear,
            "mlp", MlpForecaster::nmlp);
    public static final Option<String> TRAINER = Option.string("training.model").defaultValue("nlinear")
            .check(t -> TRAINERS.containsKey(t.toLowerCase(Locale.ROOT)),
                    "expected linear, nlinear, nlinear-scaled, dlinear or mlp")
            .description("The multi-horizon estimator trained: the linear family in closed form (linear, nlinear,"
                    + " nlinear-scaled, dlinear; ridge) or mlp (NLinear-normalized, early stopping).");
    public static final Option<TuningMethod> TUNING_METHOD = Option.enumValue("tuning.method", TuningMethod.class)
            .defaultValue(TuningMethod.BO)
            .description("How hyperparameters are searched: bo (Bayesian optimization, GP-EI), random or grid.");
    public static final Option<Integer> TUNING_TRIALS = Option.integer("tuning.trials").defaultValue(20)
            .check(n -> n >= 1, "must be at least 1").description("Most tuning trials of one retraining.");
    public static final Option<Integer> TUNING_ROUND_SIZE = Option.integer("tuning.round-size").defaultValue(4)
            .check(n -> n >= 1, "must be at least 1").description("Trials proposed and evaluated together per round.");
    public static final Option<Integer> TUNING_PATIENCE = Option.integer("tuning.patience").defaultValue(8)
            .check(n -> n >= 0, "must be at least 0 (0 = never stop early)")
            .description("Stop tuning after this many trials without improvement; 0 never stops early.");
    public static final Option<Long> TUNING_SEED = Option.longValue("tuning.seed").defaultValue(42L)
            .description("Seed of the tuner's random choices (the same request tunes the same way).");
    public static final Option<Metric> TUNING_LOSS = Option.enumValue("tuning.loss", Metric.class)
            .defaultValue(Metric.MAE).check(m -> !m.higherIsBetter(), "must be an error metric: mae or mse")
            .description("The validation error the tuner minimizes.");
    /** The training's own settings; {@link #from} also reads those of the components it configures. */
    public static final List<Option<?>> OPTIONS = List.of(TRAINER, TUNING_METHOD, TUNING_TRIALS, TUNING_ROUND_SIZE,
            TUNING_PATIENCE, TUNING_SEED, TUNING_LOSS);

    /** How hyperparameters are searched: Bayesian optimization (GP-EI), or the random and grid baselines. */
    public enum TuningMethod {
        BO, RANDOM, GRID
    }

    public static RetrainConfig from(Settings settings) {
        String requestId = RetrainJobSpec.REQUEST_ID.value(settings);
        String model = RetrainJobSpec.MODEL.value(settings);
        long from = RetrainJobSpec.epochMillis(RetrainJobSpec.DATA_FROM.value(settings));
        long to = RetrainJobSpec.epochMillis(RetrainJobSpec.DATA_TO.value(settings));
        Settings.require(to > from, RetrainJobSpec.DATA_TO.key(), "must be after " + RetrainJobSpec.DATA_FROM.key()
                + " (" + Instant.ofEpochMilli(from) + ")");
        long seed = TUNING_SEED.value(settings);
        return new RetrainConfig(requestId, model, new TimeRange(from, to), SnapshotStage.Config.from(settings),
                ModelStore.location(settings), TRAINER.value(settings).toLowerCase(Locale.ROOT),
                HorizonSpec.from(settings), TrainingWindows.minWindows(settings), TUNING_METHOD.value(settings),
                new TuningBudget(TUNING_TRIALS.value(settings), TUNING_ROUND_SIZE.value(settings),
                        TUNING_PATIENCE.value(settings), seed),
                seed, TUNING_LOSS.value(settings), ReplacementPolicy.from(settings),
                KafkaOptions.BOOTSTRAP_SERVERS.find(settings).orElse(null), KafkaConfig.modelUpdatesTopic(settings));
    }

    /** A new estimator family of {@link #trainer}; each holds its own cached statistics. */
    public HorizonEstimatorFactory estimatorFactory() {
        return TRAINERS.get(trainer).get();
    }

    public Tuner tuner() {
        HorizonEstimatorFactory factory = estimatorFactory();
        return switch (tuningMethod) {
            case BO -> new BayesianOptimizer(factory.searchSpace(), tunerSeed);
            case RANDOM -> new RandomSearch(factory.searchSpace(), tunerSeed);
            case GRID -> new GridSearch(factory.searchSpace(), budget.maxTrials(), tunerSeed);
        };
    }
}
