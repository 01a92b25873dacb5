package io.imlma.jobs.loop;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.jobs.launch.LaunchRetrainFunction;
import io.imlma.jobs.launch.LauncherConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.jobs.retrain.RetrainResult;
import io.imlma.jobs.snapshot.SnapshotStage;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.registry.ArtifactVerificationException;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.udf.monitor.ChampionDriftReferences;
import io.imlma.udf.monitor.DriftMonitor;
import io.imlma.udf.monitor.Monitors;
import io.imlma.udf.serve.ScoreWithChampion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The closed loop inside the streaming job (data flow steps 3–6): feature rows → snapshots and trigger → retrain
 * launcher → promoted model updates → champion scorer (broadcast state, hot swap) → predictions → monitors → alarms,
 * which go to the registry's alarm table. The caller sinks predictions and alarms wherever else they belong (Kafka
 * in production, files in the demo).
 *
 * <p>Model updates come from three places, all into the same broadcast: the registry's champion when the job is
 * built (so a restarted job serves at once), the launcher's promoted runs, and an optional external stream (the
 * model-updates Kafka topic, for runs launched elsewhere). The scorer ignores updates it already serves or that are
 * older than its champion, so the overlap is harmless. The same updates make the drift monitor's references: each
 * champion's training range, read back from the snapshot store ({@link ChampionDriftReferences}).
 *
 * <p>Drift retrain requests of the monitors are returned, not fed to the trigger here: they are computed from the
 * predictions, which depend on the launcher's output, and a dataflow graph cannot feed them back without a cycle.
 * The job closes the loop outside the graph ({@code io.imlma.jobs.MeterPipelineJob}): in production it writes them,
 * exactly once, to the retrain-commands topic as DRIFT commands and reads that topic back as the trigger's command
 * input, with the operators' commands the API publishes there.
 *
 * <p>Settings: those of {@link SnapshotStage}, {@link LauncherConfig}, {@link Monitors}, the registry
 * ({@code registry.*}), the model store ({@link ModelStore#location}) and {@link #OPTIONS} (listed in
 * docs/settings.md).
 */
public final class ModelLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoop.class);

    public static final Option<Integer> HISTORY = Option.integer("serve.history-intervals")
            .check(n -> n >= 1, "must be at least 1").defaultText("forecast.input-length")
            .description("Interval means kept per meter for scoring; a champion that reads more keeps more.");
    public static final List<Option<?>> OPTIONS = List.of(HISTORY);

    /** After this long without a command the request input turns idle and stops holding back the trigger's time. */
    private static final Duration COMMANDS_IDLE_AFTER = Duration.ofSeconds(5);

    /**
     * @param retrainRequests      the trigger's decisions
     * @param launches             one outcome per launched request
     * @param promotions           the new champions of this loop's launches
     * @param modelUpdates         every update offered to the scorer (initial champion, promotions, external)
     * @param driftRetrainRequests the drift monitor's requests (not launched, see the class comment)
     * @param driftReferences      the serving champions' training data, as the drift monitor receives it
     */
    public record Outputs(DataStream<Prediction> predictions, DataStream<Alarm> alarms,
            DataStream<RetrainRequest> retrainRequests, DataStream<LaunchOutcome> launches,
            DataStream<ModelUpdate> promotions, DataStream<ModelUpdate> modelUpdates,
            DataStream<RetrainRequest> driftRetrainRequests, DataStream<DriftReference> driftReferences) {}

    private ModelLoop() {}

    /**
     * Event time of the trigger's request input: each command's {@code requestedAt}. The input is silent most of the
     * time, so it turns idle and the trigger's event time follows the snapshots; commands behind it are still
     * processed (the trigger takes the later of watermark and committed data as their time).
     */
    public static WatermarkStrategy<RetrainCommand> commandWatermarks() {
        return WatermarkStrategy.<RetrainCommand>forMonotonousTimestamps()
                .withTimestampAssigner((command, previous) -> command.requestedAt())
                .withIdleness(COMMANDS_IDLE_AFTER);
    }

    /**
     * @param manualRequests  retrain commands (operators', drift), with {@link #commandWatermarks()}; {@code null} for
     *                        none
     * @param externalUpdates model updates published elsewhere; {@code null} for none
     */
    public static Outputs attach(StreamExecutionEnvironment env, PipelineOutputs pipeline,
            DataStream<RetrainCommand> manualRequests, DataStream<ModelUpdate> externalUpdates, Settings settings) {
        SnapshotStage.Config snapshots = SnapshotStage.Config.from(settings);
        // the loop always has a registry: launches are recorded there, so a restart never launches a request twice
        LauncherConfig launcher = LauncherConfig.from(
                settings.withDefaults(Map.of(LauncherConfig.LEDGER.key(), LauncherConfig.Ledger.REGISTRY.name())));
        IntegrityStore models = ModelStore.location(settings);
        int history = HISTORY.find(settings).orElseGet(() -> HorizonSpec.from(settings).inputLength());
        String model = snapshots.modelName();

        SnapshotStage.Outputs snapshot = SnapshotStage.attach(pipeline.features(), manualRequests, snapshots);
        DataStream<LaunchOutcome> launches = LaunchRetrainFunction.attach(snapshot.retrainRequests(), launcher);
        DataStream<ModelUpdate> promotions = launches
                .flatMap(new PromotedModelUpdates(), TypeInformation.of(ModelUpdate.class))
                .name("promoted model updates").uid("promoted-model-updates").setParallelism(1);
        DataStream<ModelUpdate> updates = promotions;
        List<Alarm> startAlarms = new ArrayList<>();
        Optional<ModelUpdate> initial = currentChampion(settings, models, model, startAlarms::add);
        if (initial.isPresent()) {
            LOG.info("Starting with the registry's champion {} v{}", model, initial.get().version());
            updates = updates.union(env.fromData(TypeInformation.of(ModelUpdate.class), initial.get())
                    .name("registry champion").uid("registry-champion").setParallelism(1));
        }
        if (externalUpdates != null) {
            updates = updates.union(externalUpdates);
        }

        SingleOutputStreamOperator<Prediction> predictions = pipeline.features()
                .keyBy(FeatureRow::meterId)
                .connect(updates.broadcast(ScoreWithChampion.CHAMPION))
                .process(new ScoreWithChampion(model, history, new ModelStoreLoader(models)),
                        TypeInformation.of(Prediction.class))
                .name("score with champion").uid("score-with-champion");

        SingleOutputStreamOperator<DriftReference> references = updates
                .keyBy(ModelUpdate::modelName)
                .process(new ChampionDriftReferences(DriftMonitor.Config.fromSettings(settings),
                        new ModelStoreLoader(models), snapshots.store(), snapshots.granularity()),
                        TypeInformation.of(DriftReference.class))
                .name("champion drift references").uid("champion-drift-references").setParallelism(1);
        Monitors.Streams monitors = Monitors.attach(predictions, pipeline.features(), pipeline.deadLetters(),
                pipeline.late(), references, settings);
        // the uid of its first name, "failed retrain alarms": savepoints find its state by it
        DataStream<Alarm> retrainAlarms = launches.keyBy(outcome -> model)
                .process(new RetrainAlarms(), TypeInformation.of(Alarm.class))
                .name("retrain alarms").uid("failed-retrain-alarms").setParallelism(1);
        DataStream<Alarm> alarms = monitors.alarms().union(snapshot.alarms(),
                predictions.getSideOutput(ScoreWithChampion.ALARMS),
                references.getSideOutput(ChampionDriftReferences.ALARMS), retrainAlarms);
        if (!startAlarms.isEmpty()) {
            alarms = alarms.union(env.fromData(TypeInformation.of(Alarm.class), startAlarms.toArray(Alarm[]::new))
                    .name("registry champion alarms").uid("registry-champion-alarms").setParallelism(1));
        }
        alarms.sinkTo(new RegistryAlarmSink(settings)).name("alarms to registry").uid("alarms-registry")
                .setParallelism(1);

        return new Outputs(predictions, alarms, snapshot.retrainRequests(), launches, promotions, updates,
                monitors.driftRetrainRequests(), references);
    }

    /**
     * The registry's champion as a model update, its model file checked (and restored from the backup if need be) as
     * a promoted one's is; the check's integrity alarms go to {@code alarms}. A champion whose file fails the check is
     * not served: the loop starts without one, as before its first promotion.
     */
    static Optional<ModelUpdate> currentChampion(Settings settings, IntegrityStore models, String model,
            Consumer<Alarm> alarms) {
        ModelStore store = new ModelStore(models, Clock.systemUTC(), alarms);
        try (JdbcModelRegistry registry = JdbcModelRegistry.open(settings, store)) {
            return registry.championForServing(model).map(ModelVersion::championUpdate);
        } catch (ArtifactVerificationException e) {
            LOG.error("Not serving the registry's champion of {}: {}", model, e.getMessage());
            return Optional.empty();
        }
    }

    /** The model update of each launch that promoted a new champion; every outcome is logged. */
    static final class PromotedModelUpdates implements FlatMapFunction<LaunchOutcome, ModelUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(LaunchOutcome outcome, Collector<ModelUpdate> out) {
            Optional<ModelUpdate> update = RetrainResult.modelUpdateIn(outcome.results());
            LOG.info("Retrain {} {}: {}", outcome.requestId(), outcome.status(),
                    update.map(u -> "new champion " + u.modelName() + " v" + u.version()).orElse(outcome.message()));
            update.ifPresent(out::collect);
        }
    }
}
