package io.imlma.jobs;

import io.imlma.common.config.Catalogue;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.launch.LauncherConfig;
import io.imlma.jobs.launch.RetrainJobSpec;
import io.imlma.jobs.loop.ModelLoop;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.jobs.snapshot.SnapshotStage;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.TrainingWindows;
import io.imlma.registry.ModelStore;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.udf.monitor.Monitors;
import java.util.List;

/**
 * The settings catalogues of the job jar's programs, the union of their components' options, which their mains
 * check their settings against. Apart from the programs so that listings and deploy checks need no Flink runtime.
 */
public final class JobSettings {
    private JobSettings() {}

    /**
     * Everything the streaming job reads: the pipeline, Kafka, snapshots and trigger, the launcher and what it passes
     * to the retrainings it starts, the registry, the model store, serving and the monitors.
     */
    public static Catalogue meterPipelineJob() {
        Catalogue settings = Catalogue.of("MeterPipelineJob").with(pipeline())
                .with(LauncherConfig.OPTIONS)
                .with(retraining("MeterPipelineJob"))
                .with(ModelLoop.OPTIONS);
        return Monitors.declare(KafkaConfig.declare(settings));
    }

    /** The meter pipeline's own settings (PipelineConfig), for programs that run the pipeline alone (benchmarks). */
    public static Catalogue pipeline() {
        return Catalogue.of("the pipeline").with(PipelineConfig.OPTIONS);
    }

    /** Everything RetrainJob reads: the request (as a launcher passes it) and {@link #retraining}'s settings. */
    public static Catalogue retrainJob() {
        return retraining("RetrainJob").with(RetrainJobSpec.REQUEST_OPTIONS);
    }

    /** A launcher passes VerifySnapshotJob what it passes RetrainJob, whose stand-in it is. */
    public static Catalogue verifySnapshotJob() {
        return retraining("VerifySnapshotJob").with(RetrainJobSpec.REQUEST_OPTIONS);
    }

    /** The settings of a retraining besides its request: what a launcher passes through to it. */
    static Catalogue retraining(String program) {
        return Catalogue.of(program)
                .with(SnapshotStage.OPTIONS)
                .with(RegistryDataSource.OPTIONS).with(ModelStore.OPTIONS)
                .with(HorizonSpec.OPTIONS).with(TrainingWindows.OPTIONS).with(ReplacementPolicy.OPTIONS)
                .with(RetrainConfig.OPTIONS)
                .with(List.of(KafkaOptions.BOOTSTRAP_SERVERS, KafkaConfig.MODEL_UPDATES_TOPIC));
    }
}
