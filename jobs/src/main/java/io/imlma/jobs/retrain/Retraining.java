package io.imlma.jobs.retrain;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.common.integrity.SnapshotReader;
import io.imlma.common.integrity.VerificationReport;
import io.imlma.common.json.Json;
import io.imlma.common.kafka.ModelUpdates;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.ml.eval.Evaluation;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonEvaluation;
import io.imlma.ml.horizon.HorizonModel;
import io.imlma.ml.horizon.HorizonModelCodec;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.TrainingWindows;
import io.imlma.ml.horizon.Windows;
import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.tune.TrialRecord;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.Promotion;
import io.imlma.registry.PromotionKind;
import io.imlma.registry.TestRows;
import io.imlma.registry.TuningTrial;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.VersionStatus;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data flow step 5, a Flink batch job per retraining request: verify the snapshot range (restoring bad files from
 * the backup), cut the pooled per-meter forecast windows (H intervals from the last L), tune the trainer's hyperparameters with trials as parallel
 * Flink tasks, evaluate the best model and the current champion on the same test rows next to the naive baselines,
 * apply the replacement policy, write the model file (SHA-256 + backup), register the version with its trials and
 * decision, promote or reject it, and publish a model-update event for a new champion.
 *
 * <p>Settings: {@code --request-id}, {@code --model}, {@code --data-from}, {@code --data-to} (epoch ms, ISO-8601
 * instant or date), the snapshot stage's {@code snapshot.*}, {@code model.store.path} /
 * {@code model.store.backup-path}, {@code registry.*}, {@code training.model} (linear|nlinear|nlinear-scaled|dlinear|mlp),
 * {@code training.min-windows-per-meter}, {@code tuning.method} (bo|random|grid), {@code tuning.trials},
 * {@code tuning.round-size}, {@code tuning.patience}, {@code tuning.seed}, {@code tuning.loss} (mae|mse),
 * {@code forecast.*}, {@code features.calendar}, {@code features.zone}, {@code replacement.*}, {@code kafka.bootstrap.servers}, {@code kafka.topic.model-updates}
 * (see {@link RetrainConfig}).
 */
public final class Retraining {
    private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);
    public static final String PROMOTED_BY = "retrain-job";

    private final RetrainConfig config;
    private final Settings settings;
    private final Clock clock;
    private final List<Alarm> alarms = new CopyOnWriteArrayList<>();
    private final ModelStore modelStore;
    private ModelRegistry registry;

    private Retraining(Settings settings, Clock clock) {
        this.settings = settings;
        this.config = RetrainConfig.from(settings);
        this.clock = clock;
        this.modelStore = new ModelStore(config.modelStore(), clock, this::recordAlarm);
    }


    /** Runs one retraining request on {@code env} (switched to BATCH mode); blocks until it is done. */
    public static RetrainResult run(StreamExecutionEnvironment env, Settings settings) throws Exception {
        return run(env, settings, Clock.systemUTC());
    }

    public static RetrainResult run(StreamExecutionEnvironment env, Settings settings, Clock clock) throws Exception {
        Retraining job = new Retraining(settings, clock);
        try (ModelRegistry registry = JdbcModelRegistry.open(settings, job.modelStore)) {
            job.registry = registry;
            return job.execute(env);
        }
    }

    private RetrainResult execute(StreamExecutionEnvironment env) throws Exception {
        long started = System.nanoTime();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        String model = config.modelName();
        String run = config.requestId();
        Optional<RetrainResult> decided = decidedEarlier(started);
        if (decided.isPresent()) {
            return decided.get();
        }

        VerificationReport snapshot = verifiedSnapshot();
        List<FeatureRow> rows = new SnapshotReader(config.snapshots().store())
                .read(snapshot.manifests(), config.range());
        TrainingWindows data = TrainingWindows.build(rows, config.forecast(), config.minWindows());
        Windows.Split pooled = data.pooled();
        LOG.info("Retrain {} of {}: {} rows of {} meters ({} left out); {} train / {} validation / {} test windows",
                run, model, rows.size(), data.meters().size(), data.skipped().size(), pooled.train().size(),
                pooled.validation().size(), pooled.test().size());

        FlinkTuning.Outcome tuning = FlinkTuning.run(env, config.tuner(), config.budget(), settings,
                snapshot.manifests(), "retrain " + run + " of " + model, this::recordTrial);
        HorizonModel candidate = HorizonModelCodec.fromBytes(tuning.best().model());
        Hyperparameters hyperparameters = tuning.best().task().parameters()
                .withDefaults(config.estimatorFactory().defaults());

        List<String> reasons = new ArrayList<>();
        Optional<ModelVersion> champion = registry.champion(model);
        ModelArtifact championArtifact = champion.map(c -> usableChampion(c, reasons)).orElse(null);
        Evaluation evaluation = data.evaluate(candidate, championArtifact, config.policy(), reasons);
        reasons.addAll(evaluation.decision().reasons());
        Integer championVersion = championArtifact == null ? null : champion.get().version();
        LOG.info("Retrain {}: test MAE candidate {} champion {} last value {} seasonal {}; replace: {} ({})", run,
                evaluation.candidate().mae(), evaluation.champion() == null ? "-" : evaluation.champion().mae(),
                evaluation.lastValue().mae(), evaluation.seasonalValue() == null ? "-" : evaluation.seasonalValue().mae(),
                evaluation.decision().replace(),
                reasons);

        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT_VERSION, model, config.trainer(),
                hyperparameters.values(), evaluation.candidate(),
                HorizonEvaluation.residualStd(candidate, pooled.validation()), config.range().from(),
                config.range().to(), clock.millis(), candidate);
        int expectedVersion = registry.versions(model).stream().mapToInt(ModelVersion::version).max().orElse(0) + 1;
        String artifactPath = ModelStore.relativePath(model, expectedVersion);
        String sha256 = modelStore.write(artifactPath, artifact);
        ModelVersion registered = registry.register(new NewVersion(model, run,
                Instant.ofEpochMilli(config.range().from()), Instant.ofEpochMilli(config.range().to()),
                snapshotId(snapshot.manifests()), config.trainer(), new LinkedHashMap<>(hyperparameters.values()),
                VersionMetrics.of(evaluation.candidate()), artifactPath, sha256, reasons,
                TestRows.of(data.testWindowsFor(championArtifact)), champion.map(ModelVersion::version).orElse(null),
                evaluation.champion() == null ? null : VersionMetrics.of(evaluation.champion())));
        if (registered.version() != expectedVersion) {
            LOG.warn("{} v{} was registered concurrently; this run's model is v{} with its file at {}", model,
                    expectedVersion, registered.version(), artifactPath);
        }

        ModelUpdate update = null;
        if (evaluation.decision().replace()) {
            Promotion promotion = registry.promote(model, registered.version(), PROMOTED_BY,
                    String.join("; ", reasons));
            // stamped with the promotion's time, so a rerun that finds this decision reports the same event
            update = new ModelUpdate(model, registered.version(), artifactPath, sha256,
                    promotion.at().toEpochMilli());
            if (config.kafkaBootstrap() != null) {
                ModelUpdates.publish(config.kafkaBootstrap(), config.modelUpdatesTopic(), update);
                LOG.info("Published {} to {}", update, config.modelUpdatesTopic());
            }
        } else {
            registry.reject(model, registered.version(), String.join("; ", evaluation.decision().reasons()));
        }
        return new RetrainResult(run, model, registered.version(), evaluation.decision().replace(),
                evaluation.decision().rule(), reasons, championVersion, evaluation.candidate(),
                evaluation.champion(), evaluation.lastValue(), evaluation.seasonalValue(), config.trainer(),
                hyperparameters.values(), tuning.trials(), tuning.stoppedEarly(),
                data.meters(), data.skipped(), artifactPath,
                sha256, update, alarms, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A request is run again when the launcher that ran it died before recording the outcome. If that run got as far
     * as deciding on its version, the decision stands and is reported again (with its model update when it promoted),
     * so a rerun never registers a second version or changes the champion twice. A version left undecided is rejected
     * and the run starts over.
     */
    private Optional<RetrainResult> decidedEarlier(long started) {
        String model = config.modelName();
        String run = config.requestId();
        Optional<ModelVersion> earlier = registry.versions(model).stream()
                .filter(v -> run.equals(v.trainingRun())).reduce((first, last) -> last);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        ModelVersion v = earlier.get();
        if (v.status() == VersionStatus.CANDIDATE) {
            LOG.warn("Retrain {}: an earlier attempt registered {} v{} and stopped before deciding; rejecting it and "
                    + "starting over", run, model, v.version());
            registry.reject(model, v.version(), "its retraining run was interrupted before the decision; run again");
            return Optional.empty();
        }
        Optional<Promotion> promotion = registry.promotions(model).stream()
                .filter(p -> p.kind() == PromotionKind.PROMOTE && p.toVersion() == v.version()
                        && PROMOTED_BY.equals(p.by()))
                .findFirst();
        ModelUpdate update = promotion.map(p -> new ModelUpdate(model, v.version(), v.artifactPath(),
                v.artifactSha256(), p.at().toEpochMilli())).orElse(null);
        LOG.warn("Retrain {}: an earlier attempt already registered {} v{} ({}); reporting its decision again", run,
                model, v.version(), promotion.isPresent() ? "promoted" : v.status());
        Map<String, Double> hyperparameters = new LinkedHashMap<>();
        v.hyperparameters().forEach((name, value) -> {
            if (value instanceof Number number) {
                hyperparameters.put(name, number.doubleValue());
            }
        });
        // metrics count forecast values: every step of every test window
        int testRows = v.testRows() == null ? 0 : v.testRows().count() * config.forecast().horizon();
        Metrics candidate = metrics(testRows, v.metrics());
        Metrics championMetrics = v.championMetrics() == null ? null : metrics(testRows, v.championMetrics());
        return Optional.of(new RetrainResult(run, model, v.version(), promotion.isPresent(),
                config.policy().rule(), v.decisionReasons(), championMetrics == null ? null
                        : v.championAtRegistration(), candidate, championMetrics, null, null, v.trainer(),
                hyperparameters, List.of(), false, List.of(), List.of(), v.artifactPath(), v.artifactSha256(), update,
                List.of(), (System.nanoTime() - started) / 1_000_000));
    }

    private static Metrics metrics(int count, VersionMetrics stored) {
        return new Metrics(count, stored.mse(), stored.mae(), stored.r2());
    }

    /** The range's manifests after verification; a refused range records a critical alarm and fails the run. */
    private VerificationReport verifiedSnapshot() {
        try {
            VerificationReport report = new IntegrityVerifier(config.snapshots().store(), clock)
                    .verifySnapshot(config.range(), config.snapshots().granularity());
            report.alarms().forEach(this::recordAlarm);
            return report;
        } catch (IntegrityException e) {
            e.report().alarms().forEach(this::recordAlarm);
            recordAlarm(RetrainRefusedException.alarm(config.requestId(), e.report().events().size(), clock.millis(),
                    "Retrain " + config.requestId() + " of " + config.modelName() + " refused: " + e.getMessage()));
            throw new RetrainRefusedException("Retrain " + config.requestId() + " of " + config.modelName()
                    + " refused: " + e.getMessage(), e);
        }
    }

    /**
     * The champion's model after its file passed the SHA-256 check (restored from the backup if needed); null when
     * it was refused, with the reason added: a champion whose file cannot be trusted is not served, so it is not a
     * bar the candidate has to clear.
     */
    private ModelArtifact usableChampion(ModelVersion champion, List<String> reasons) {
        try {
            return modelStore.load(champion.artifactPath(), champion.artifactSha256());
        } catch (Exception e) {
            LOG.error("Champion {} v{} cannot be compared: {}", champion.modelName(), champion.version(),
                    e.getMessage());
            reasons.add("champion v" + champion.version() + " not compared: its model file was refused ("
                    + e.getMessage() + ")");
            return null;
        }
    }

    private static String snapshotId(List<SnapshotManifest> manifests) {
        return manifests.isEmpty() ? "empty"
                : manifests.get(0).partitionId() + ".." + manifests.get(manifests.size() - 1).partitionId();
    }

    private void recordTrial(TrialRecord trial) {
        Map<String, Object> parameters = new LinkedHashMap<>(trial.parameters().values());
        // MySQL cannot store NaN: a diverged trial is recorded with the largest double as its errors
        registry.recordTrial(new TuningTrial(config.modelName(), config.requestId(), trial.index(), trial.tuner(),
                parameters, finiteOrMax(trial.validationMse()), finiteOrMax(trial.validationMae()),
                trial.durationMillis(), trial.seed()));
    }

    private void recordAlarm(Alarm alarm) {
        alarms.add(alarm);
        if (registry != null) {
            registry.recordAlarm(alarm);
        }
    }

    private static double finiteOrMax(double value) {
        return Double.isFinite(value) ? value : Double.MAX_VALUE;
    }
}
