package io.imlma.jobs.retrain;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.TimeRange;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.snapshot.SnapshotStage;
import io.imlma.ml.data.FeatureSpec;
import io.imlma.ml.data.TrainingData;
import io.imlma.ml.eval.Metric;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.model.EstimatorFactory;
import io.imlma.ml.model.LinearRegression;
import io.imlma.ml.model.MlpRegression;
import io.imlma.ml.tune.BayesianOptimizer;
import io.imlma.ml.tune.GridSearch;
import io.imlma.ml.tune.RandomSearch;
import io.imlma.ml.tune.Tuner;
import io.imlma.ml.tune.TuningBudget;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Validated settings of one retraining request; every problem is reported at start, naming the setting.
 *
 * @param snapshots     the snapshot stage's configuration (paths, partitioning)
 * @param modelStore    where model files and their backup copies go ({@code model.store.path},
 *                      {@code model.store.backup-path})
 * @param minTargets    meters with fewer usable targets than this are left out of training
 * @param modelUpdatesTopic Kafka topic for model-update events; {@code kafkaBootstrap} null = do not publish
 */
public record RetrainConfig(
        String requestId,
        String modelName,
        TimeRange range,
        SnapshotStage.Config snapshots,
        IntegrityStore modelStore,
        String trainer,
        FeatureSpec features,
        int minTargets,
        TuningMethod tuningMethod,
        TuningBudget budget,
        long tunerSeed,
        Metric lossMetric,
        ReplacementPolicy policy,
        String kafkaBootstrap,
        String modelUpdatesTopic) {

    public static final String REQUEST_ID = "request-id";
    public static final String MODEL = "model";
    public static final String DATA_FROM = "data-from";
    public static final String DATA_TO = "data-to";
    public static final String MODEL_STORE_PATH = "model.store.path";
    public static final String MODEL_STORE_BACKUP_PATH = "model.store.backup-path";
    public static final String TRAINER = "training.model";
    public static final String MIN_TARGETS = TrainingData.MIN_TARGETS.key();
    public static final String TUNING_METHOD = "tuning.method";
    public static final String TUNING_TRIALS = "tuning.trials";
    public static final String TUNING_ROUND_SIZE = "tuning.round-size";
    public static final String TUNING_PATIENCE = "tuning.patience";
    public static final String TUNING_SEED = "tuning.seed";
    public static final String TUNING_LOSS = "tuning.loss";
    /** The same setting as the streaming job's, so one configuration file serves both. */
    public static final String KAFKA_BOOTSTRAP = KafkaOptions.BOOTSTRAP_SERVERS.key();

    /** How hyperparameters are searched: Bayesian optimization (GP-EI), or the random and grid baselines. */
    public enum TuningMethod {
        BO, RANDOM, GRID
    }

    public static RetrainConfig from(Settings settings) {
        String requestId = settings.string(REQUEST_ID);
        String model = settings.string(MODEL);
        Settings.require(model.matches("[A-Za-z0-9._-]+"), MODEL,
                "must be a simple name (letters, digits, '.', '_', '-'): it names a directory, got '" + model + "'");
        long from = time(settings, DATA_FROM);
        long to = time(settings, DATA_TO);
        Settings.require(to > from, DATA_TO, "must be after " + DATA_FROM + " (" + Instant.ofEpochMilli(from) + ")");
        URI store = settings.uri(MODEL_STORE_PATH);
        URI backup = settings.uri(MODEL_STORE_BACKUP_PATH);
        Settings.require(!store.normalize().equals(backup.normalize()), MODEL_STORE_BACKUP_PATH,
                "must differ from " + MODEL_STORE_PATH + " (" + store + "): the backup is the second copy");
        String trainer = settings.string(TRAINER, "linear").toLowerCase(Locale.ROOT);
        Settings.require(trainer.equals("linear") || trainer.equals("mlp"), TRAINER,
                "expected linear or mlp, got '" + trainer + "'");
        int minTargets = TrainingData.minTargets(settings);
        int trials = settings.integer(TUNING_TRIALS, 20);
        Settings.require(trials >= 1, TUNING_TRIALS, "must be at least 1, got " + trials);
        int roundSize = settings.integer(TUNING_ROUND_SIZE, 4);
        Settings.require(roundSize >= 1, TUNING_ROUND_SIZE, "must be at least 1, got " + roundSize);
        int patience = settings.integer(TUNING_PATIENCE, 8);
        Settings.require(patience >= 0, TUNING_PATIENCE, "must be at least 0 (0 = never stop early), got " + patience);
        long seed = settings.longValue(TUNING_SEED, 42);
        Metric loss = settings.enumValue(TUNING_LOSS, Metric.class, Metric.MAE);
        Settings.require(!loss.higherIsBetter(), TUNING_LOSS, "must be an error metric: mae or mse");
        return new RetrainConfig(requestId, model, new TimeRange(from, to), SnapshotStage.Config.from(settings),
                new IntegrityStore(store, backup), trainer, FeatureSpec.from(settings), minTargets,
                settings.enumValue(TUNING_METHOD, TuningMethod.class, TuningMethod.BO),
                new TuningBudget(trials, roundSize, patience, seed), seed, loss, ReplacementPolicy.from(settings),
                settings.has(KAFKA_BOOTSTRAP) ? settings.string(KAFKA_BOOTSTRAP) : null,
                KafkaConfig.modelUpdatesTopic(settings));
    }

    public EstimatorFactory estimatorFactory() {
        return estimatorFactory(trainer);
    }

    static EstimatorFactory estimatorFactory(String trainer) {
        return trainer.equals("mlp") ? new MlpRegression() : new LinearRegression();
    }

    public Tuner tuner() {
        EstimatorFactory factory = estimatorFactory();
        return switch (tuningMethod) {
            case BO -> new BayesianOptimizer(factory.searchSpace(), tunerSeed);
            case RANDOM -> new RandomSearch(factory.searchSpace(), tunerSeed);
            case GRID -> new GridSearch(factory.searchSpace(), budget.maxTrials(), tunerSeed);
        };
    }

    /** Epoch milliseconds, an ISO-8601 instant ({@code 2016-07-01T00:00:00Z}) or a UTC date ({@code 2016-07-01}). */
    static long time(Settings settings, String key) {
        String raw = settings.string(key);
        if (raw.matches("-?\\d+")) {
            return Long.parseLong(raw);
        }
        try {
            return Instant.parse(raw).toEpochMilli();
        } catch (DateTimeException e) {
            try {
                return LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeException e2) {
                throw new ConfigException(key, "expected epoch milliseconds, an ISO-8601 instant such as "
                        + "2016-07-01T00:00:00Z or a date such as 2016-07-01, got '" + raw + "'");
            }
        }
    }

}
