package io.imlma.udf.serve;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.Severity;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.udf.monitor.RaisedAlarms;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data flow step 6: at every closed interval, forecasts each meter's next H intervals with the champion model (H is
 * the champion's horizon; the first forecast interval starts where the closed one ended). Keyed by meter it keeps the
 * meter's recent interval means; the champion's {@link ModelUpdate} is broadcast state, so a new champion takes over
 * on its update event without a restart and without touching the keyed history. The model file is loaded (and its
 * SHA-256 checked) when the update arrives, and again lazily after a restore from a checkpoint, where only the
 * broadcast state comes back.
 *
 * <p>An update whose artifact is refused leaves the current champion serving and raises a critical
 * {@link AlarmType#INTEGRITY} alarm on {@link #ALARMS}, together with the verifier's own alarms. Updates older than
 * the champion (by publication time, e.g. a replayed update topic) and updates of other models are ignored.
 *
 * <p>Metrics: gauges {@value #CHAMPION_VERSION} (0 while none) and {@value #CHAMPION_TEST_MAE} (NaN while none).
 */
public final class ScoreWithChampion extends KeyedBroadcastProcessFunction<String, FeatureRow, ModelUpdate, Prediction> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScoreWithChampion.class);

    public static final String CHAMPION_VERSION = "championVersion";
    public static final String CHAMPION_TEST_MAE = "championTestMae";

    /** The champion's update, by model name. */
    public static final MapStateDescriptor<String, ModelUpdate> CHAMPION = new MapStateDescriptor<>(
            "champion", Types.STRING, TypeInformation.of(ModelUpdate.class));
    /** Integrity alarms of refused (or repaired) model files. */
    public static final OutputTag<Alarm> ALARMS = new OutputTag<>("scorer-alarms", TypeInformation.of(Alarm.class));

    private final String modelName;
    private final int historyIntervals;
    private final ChampionLoader loader;

    private transient ValueState<double[]> recentMeans;
    private transient RaisedAlarms raisedAlarms;
    /** The artifact of {@link #loadedFor}; both null until the first load of this task. */
    private transient ModelArtifact champion;
    private transient ModelUpdate loadedFor;
    /** An update whose reload failed after a restore: not retried on every row, reported once. */
    private transient ModelUpdate refused;

    /**
     * @param historyIntervals interval means kept per meter; grows to the champion's {@link
     *                         ModelArtifact#requiredHistory()} when that needs more
     */
    public ScoreWithChampion(String modelName, int historyIntervals, ChampionLoader loader) {
        if (historyIntervals < 1) {
            throw new IllegalArgumentException("historyIntervals must be at least 1, got " + historyIntervals);
        }
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.historyIntervals = historyIntervals;
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    @Override
    public void open(OpenContext openContext) {
        recentMeans = getRuntimeContext().getState(
                new ValueStateDescriptor<>("recent-means", PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        getRuntimeContext().getMetricGroup().gauge(CHAMPION_VERSION,
                (Gauge<Integer>) () -> loadedFor == null ? 0 : loadedFor.version());
        getRuntimeContext().getMetricGroup().gauge(CHAMPION_TEST_MAE,
                (Gauge<Double>) () -> champion == null ? Double.NaN : champion.testMetrics().mae());
        raisedAlarms = new RaisedAlarms(getRuntimeContext().getMetricGroup(), AlarmType.INTEGRITY);
    }

    @Override
    public void processElement(FeatureRow row, ReadOnlyContext ctx, Collector<Prediction> out) throws Exception {
        long receivedAt = System.currentTimeMillis();
        ModelArtifact model = servingModel(ctx.getBroadcastState(CHAMPION), ctx);
        double[] history = append(recentMeans.value(), row.mean(),
                Math.max(historyIntervals, model == null ? 0 : model.requiredHistory()));
        recentMeans.update(history);
        if (model == null || history.length < model.requiredHistory()) {
            return;
        }
        double[] forecast = model.forecast(history, row.windowEnd());
        long now = System.currentTimeMillis(); // after the forecast, so that the scoring delay includes it
        // an imputed row has no reading behind it (ingest time 0): it is as fresh as its scoring, not decades late
        long ingestTime = row.maxIngestTime() > 0 ? row.maxIngestTime() : now;
        out.collect(new Prediction(row.meterId(), row.windowEnd(), row.windowEnd() - row.windowStart(), forecast,
                loadedFor.modelName(), loadedFor.version(), now, row.windowEnd(), ingestTime, receivedAt));
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<Prediction> out) throws Exception {
        if (!modelName.equals(update.modelName())) {
            return;
        }
        BroadcastState<String, ModelUpdate> state = ctx.getBroadcastState(CHAMPION);
        ModelUpdate current = state.get(modelName);
        if (current != null && (sameArtifact(current, update) || update.publishedAt() < current.publishedAt())) {
            return;
        }
        ModelArtifact artifact = load(update, alarm -> ctx.output(ALARMS, raisedAlarms.count(alarm)));
        if (artifact == null) {
            return; // refused: the current champion keeps serving
        }
        state.put(modelName, update);
        champion = artifact;
        loadedFor = update;
        LOG.info("Serving {} v{} (test MAE {}), replacing {}", modelName, update.version(),
                artifact.testMetrics().mae(), current == null ? "none" : "v" + current.version());
    }

    /** The artifact of the broadcast champion, loaded on first use after a restore. */
    private ModelArtifact servingModel(ReadOnlyBroadcastState<String, ModelUpdate> state, ReadOnlyContext ctx)
            throws Exception {
        ModelUpdate update = state.get(modelName);
        if (update == null || update.equals(loadedFor)) {
            return champion;
        }
        if (update.equals(refused)) {
            return null;
        }
        ModelArtifact artifact = load(update, alarm -> ctx.output(ALARMS, raisedAlarms.count(alarm)));
        if (artifact == null) {
            refused = update;
            return null;
        }
        champion = artifact;
        loadedFor = update;
        return artifact;
    }

    /** The verified artifact, or null after raising the refusal alarms. */
    private ModelArtifact load(ModelUpdate update, Consumer<Alarm> alarms) {
        try {
            return loader.load(update, alarms);
        } catch (Exception e) {
            LOG.error("Refusing {} v{} from {}: {}", update.modelName(), update.version(), update.artifactPath(),
                    e.toString());
            alarms.accept(refusal(update, e));
            return null;
        }
    }

    private Alarm refusal(ModelUpdate update, Exception cause) {
        // deterministic id: every parallel scorer refuses the same update, the registry keeps one alarm
        String id = "serve-refused-" + update.modelName() + "-v" + update.version() + "-" + update.sha256();
        return new Alarm(id, AlarmType.INTEGRITY, Severity.CRITICAL, null,
                loadedFor == null ? 0 : loadedFor.version(), 0, 0, update.publishedAt(),
                "model " + update.modelName() + " v" + update.version() + " (" + update.artifactPath()
                        + ") refused, " + (loadedFor == null ? "no champion serving" : "v" + loadedFor.version()
                        + " keeps serving") + ": " + cause.getMessage());
    }

    private static boolean sameArtifact(ModelUpdate a, ModelUpdate b) {
        return a.version() == b.version() && a.sha256().equalsIgnoreCase(b.sha256());
    }

    /** {@code history} with {@code mean} appended, keeping the newest {@code capacity} values. */
    static double[] append(double[] history, double mean, int capacity) {
        double[] old = history == null ? new double[0] : history;
        int keep = Math.min(old.length, capacity - 1);
        double[] next = Arrays.copyOf(Arrays.copyOfRange(old, old.length - keep, old.length), keep + 1);
        next[keep] = mean;
        return next;
    }
}
