package io.imlma.jobs.snapshot;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainRequest;
import io.imlma.registry.ModelRegistry;
import io.imlma.udf.snapshot.EventTimePartitionAssigner;
import io.imlma.udf.snapshot.FeatureRowJsonEncoder;
import io.imlma.udf.snapshot.SnapshotManifestWriter;
import io.imlma.udf.trigger.RetrainTrigger;
import io.imlma.udf.trigger.TriggerConfig;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.Collector;

/**
 * Data flow steps 3–4: attaches the snapshot FileSink, the manifest writer and the retraining trigger to a stream
 * of feature rows. Files are committed on checkpoints, so checkpointing must be enabled on the job. Its settings
 * are {@link #OPTIONS} (listed in docs/settings.md).
 */
public final class SnapshotStage {
    public static final Option<Duration> SEAL_DEADLINE = Option.duration("snapshot.seal-deadline")
            .defaultValue(Duration.ofMinutes(10)).check(d -> !d.isNegative() && !d.isZero(), "must be positive")
            .description("How long (wall clock) a complete partition may wait for the sink's committed files before"
                    + " LOOP_STALL; checkpoints commit them, so a few checkpoint intervals.");
    /** The snapshot location, the stage's own settings, the model it requests retraining of and the trigger's. */
    public static final List<Option<?>> OPTIONS = Stream.of(SnapshotLocation.OPTIONS,
                    List.of(SEAL_DEADLINE, ModelRegistry.MODEL_NAME), TriggerConfig.OPTIONS)
            .<Option<?>>flatMap(List::stream).toList();

    /** Validated configuration of the stage. */
    public record Config(URI snapshotPath, URI backupPath, PartitionGranularity granularity, String modelName,
            TriggerConfig trigger, Duration sealDeadline) implements Serializable {

        public static Config from(Settings settings) {
            SnapshotLocation location = SnapshotLocation.from(settings);
            return new Config(location.snapshotPath(), location.backupPath(), location.granularity(),
                    ModelRegistry.MODEL_NAME.value(settings), TriggerConfig.from(settings),
                    SEAL_DEADLINE.value(settings));
        }

        public IntegrityStore store() {
            return new IntegrityStore(snapshotPath, backupPath);
        }
    }

    /** What the stage produces. */
    public record Outputs(DataStream<PartitionCommitted> committedPartitions,
            DataStream<RetrainRequest> retrainRequests, DataStream<Alarm> alarms) {}

    private SnapshotStage() {}

    /**
     * @param rows           feature rows with event-time timestamps and watermarks
     * @param manualRequests manual retraining requests; they must carry watermarks or go idle (the trigger's event
     *                       time is the minimum of both inputs); {@code null} for none
     */
    public static Outputs attach(DataStream<FeatureRow> rows, DataStream<RetrainCommand> manualRequests,
            Config config) {
        rows.sinkTo(FileSink.forRowFormat(new Path(config.snapshotPath()), new FeatureRowJsonEncoder())
                        .withBucketAssigner(new EventTimePartitionAssigner(config.granularity()))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".jsonl").build())
                        .build())
                .name("snapshot files").uid("snapshot-file-sink");

        SingleOutputStreamOperator<PartitionCommitted> committed = rows
                .transform("snapshot manifests", TypeInformation.of(PartitionCommitted.class),
                        new SnapshotManifestWriter(config.store(), config.granularity(), config.sealDeadline()))
                .uid("snapshot-manifest-writer")
                .setParallelism(1)
                .setMaxParallelism(1);

        // without manual requests, an empty stream derived from the committed partitions: it carries their
        // watermarks, so the trigger's event time (the minimum of both inputs) is not held back
        DataStream<RetrainCommand> manual = manualRequests != null ? manualRequests
                : committed.flatMap((PartitionCommitted p, Collector<RetrainCommand> out) -> { })
                        .returns(RetrainCommand.class)
                        .name("no manual retrain requests").uid("manual-retrain-none").setParallelism(1);
        String model = config.modelName();
        SingleOutputStreamOperator<RetrainRequest> requests = committed
                .connect(manual)
                .keyBy(partition -> model, RetrainCommand::modelName)
                .process(new RetrainTrigger(config.trigger()), TypeInformation.of(RetrainRequest.class))
                .name("retrain trigger").uid("retrain-trigger");

        return new Outputs(committed, requests, committed.getSideOutput(SnapshotManifestWriter.ALARMS)
                .union(requests.getSideOutput(RetrainTrigger.ALARMS)));
    }
}
