package io.imlma.jobs.retrain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.common.integrity.SnapshotReader;
import io.imlma.common.json.Json;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonEstimatorFactory;
import io.imlma.ml.horizon.HorizonEvaluation;
import io.imlma.ml.horizon.HorizonModel;
import io.imlma.ml.horizon.HorizonModelCodec;
import io.imlma.ml.horizon.TrainingWindows;
import io.imlma.ml.horizon.Windows;
import java.util.HashMap;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Trains one hyperparameter point on the training part and scores it on the validation part. Each task reads the
 * verified snapshot files itself (exactly the manifests' files, SHA-256 checked again while read) and builds the
 * same {@link TrainingWindows} as the client, so only the small manifests travel with the function.
 */
public final class TrainTrial extends RichMapFunction<TrialTask, TrialResult> {
    private static final long serialVersionUID = 1L;
    private static final TypeReference<List<SnapshotManifest>> MANIFESTS = new TypeReference<>() {};

    private final HashMap<String, String> settings;
    private final String manifestsJson;

    private transient RetrainConfig config;
    private transient HorizonEstimatorFactory factory;
    private transient Windows.Split data;

    public TrainTrial(Settings settings, List<SnapshotManifest> manifests) {
        this.settings = new HashMap<>(settings.asMap());
        this.manifestsJson = Json.write(manifests);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        config = RetrainConfig.from(new Settings(settings));
        factory = config.estimatorFactory();
        List<SnapshotManifest> manifests = Json.MAPPER.readValue(manifestsJson, MANIFESTS);
        data = TrainingWindows.build(new SnapshotReader(config.snapshots().store()).read(manifests, config.range()),
                config.forecast(), config.minWindows()).pooled();
    }

    @Override
    public TrialResult map(TrialTask task) {
        long started = System.nanoTime();
        HorizonModel model = factory.create(task.parameters(), task.seed()).fit(data.train(), data.validation());
        Metrics validation = HorizonEvaluation.of(model, data.validation());
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new TrialResult(task, validation.get(config.lossMetric()), validation.mse(), validation.mae(), millis,
                HorizonModelCodec.toBytes(model));
    }
}
