package io.imlma.udf.monitor;

import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SnapshotReader;
import io.imlma.common.integrity.TimeRange;
import io.imlma.common.integrity.VerificationReport;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.udf.serve.ChampionLoader;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes the serving champion's training data as the drift reference (keyed by model name): for each new
 * champion announced by a {@link ModelUpdate}, it loads the model file (SHA-256 checked, as the scorer does) for its
 * training range, verifies that range of the snapshot store (restoring bad files from the backup, as a retrain does)
 * and reads its feature rows; per meter and watched feature, up to {@code referenceSize} values evenly spaced over
 * the range (the values the drift monitor itself would test: see {@link DriftFeature#accepts}) become one
 * {@link DriftReference}. The reference is thus exactly the data the champion was trained on, and a restarted job
 * rebuilds it from the registry's champion, which the loop offers as its first update.
 *
 * <p>Updates the champion already has (same version and file) or older than it are skipped, as by the scorer. When
 * the model file or the snapshot range is refused, no reference is published (the previous one stays) and the
 * integrity alarms go to {@link #ALARMS}.
 */
public class ChampionDriftReferences extends KeyedProcessFunction<String, ModelUpdate, DriftReference> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ChampionDriftReferences.class);

    public static final OutputTag<Alarm> ALARMS = new OutputTag<>("drift-reference-alarms") {};

    private final DriftMonitor.Config config;
    private final ChampionLoader models;
    private final IntegrityStore snapshots;
    private final PartitionGranularity granularity;
    private transient ValueState<ModelUpdate> published;
    private transient RaisedAlarms raisedAlarms;

    /**
     * @param config      the drift monitor's configuration: the features watched and the reference size
     * @param models      loads and checks the champion's model file
     * @param snapshots   the snapshot store the champion was trained from
     * @param granularity its partitioning
     */
    public ChampionDriftReferences(DriftMonitor.Config config, ChampionLoader models, IntegrityStore snapshots,
                                   PartitionGranularity granularity) {
        this.config = config;
        this.models = models;
        this.snapshots = snapshots;
        this.granularity = granularity;
    }

    @Override
    public void open(Configuration parameters) {
        published = getRuntimeContext().getState(
                new ValueStateDescriptor<>("published-reference-of", TypeInformation.of(ModelUpdate.class)));
        raisedAlarms = new RaisedAlarms(getRuntimeContext().getMetricGroup(), AlarmType.INTEGRITY);
    }

    @Override
    public void processElement(ModelUpdate update, Context ctx, Collector<DriftReference> out) throws Exception {
        ModelUpdate current = published.value();
        if (current != null && ((current.version() == update.version()
                && current.sha256().equalsIgnoreCase(update.sha256())) || update.publishedAt() < current.publishedAt())) {
            return;
        }
        List<FeatureRow> rows;
        try {
            ModelArtifact artifact = models.load(update, alarm -> ctx.output(ALARMS, raisedAlarms.count(alarm)));
            TimeRange range = new TimeRange(artifact.dataFrom(), artifact.dataTo());
            VerificationReport report = new IntegrityVerifier(snapshots, Clock.systemUTC())
                    .verifySnapshot(range, granularity);
            report.alarms().forEach(alarm -> ctx.output(ALARMS, raisedAlarms.count(alarm)));
            rows = new SnapshotReader(snapshots).read(report.manifests(), range);
        } catch (IntegrityException e) {
            e.report().alarms().forEach(alarm -> ctx.output(ALARMS, raisedAlarms.count(alarm)));
            LOG.error("No drift reference for {} v{}: its training snapshot was refused: {}", update.modelName(),
                    update.version(), e.getMessage());
            return;
        } catch (Exception e) {
            LOG.error("No drift reference for {} v{}: {}", update.modelName(), update.version(), e.getMessage());
            return;
        }
        List<DriftReference> references = references(rows, update);
        references.forEach(out::collect);
        published.update(update);
        LOG.info("Drift reference of {} v{}: {} meter/feature samples from {} training rows", update.modelName(),
                update.version(), references.size(), rows.size());
    }

    /** One sorted sample per meter and watched feature with at least two accepted values. */
    List<DriftReference> references(List<FeatureRow> rows, ModelUpdate update) {
        Map<String, List<FeatureRow>> byMeter = new LinkedHashMap<>();
        for (FeatureRow row : rows) {
            byMeter.computeIfAbsent(row.meterId(), m -> new ArrayList<>()).add(row);
        }
        List<DriftReference> references = new ArrayList<>();
        for (Map.Entry<String, List<FeatureRow>> meter : byMeter.entrySet()) {
            for (DriftFeature feature : config.thresholds().keySet()) {
                double[] values = meter.getValue().stream().filter(feature::accepts).mapToDouble(feature::of).toArray();
                if (values.length < 2) {
                    continue;
                }
                references.add(new DriftReference(meter.getKey(), feature.key(),
                        evenlySpaced(values, config.referenceSize()), update.modelName(), update.version(),
                        update.publishedAt()));
            }
        }
        return references;
    }

    /** At most {@code size} values spread evenly over the whole range (not its first days), sorted. */
    private static double[] evenlySpaced(double[] values, int size) {
        double[] sample = values;
        if (values.length > size) {
            sample = new double[size];
            for (int i = 0; i < size; i++) {
                sample[i] = values[(int) ((long) i * values.length / size)];
            }
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        return sorted;
    }
}
