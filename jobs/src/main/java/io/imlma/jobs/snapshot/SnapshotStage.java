package io.imlma.jobs.snapshot;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainRequest;
import io.imlma.udf.snapshot.EventTimePartitionAssigner;
import io.imlma.udf.snapshot.FeatureRowJsonEncoder;
import io.imlma.udf.snapshot.SnapshotManifestWriter;
import io.imlma.udf.trigger.RetrainTrigger;
import io.imlma.udf.trigger.TriggerConfig;
import io.imlma.udf.trigger.TriggerSchedule;
import java.io.Serializable;
import java.net.URI;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
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
 * of feature rows. Files are committed on checkpoints, so checkpointing must be enabled on the job.
 */
public final class SnapshotStage {
    /** How long (wall clock) a complete partition may wait for the sink's committed files before LOOP_STALL. */
    public static final String SEAL_DEADLINE = "snapshot.seal-deadline";
    public static final String MODEL_NAME = "trigger.model-name";
    public static final String THETA = "trigger.theta";
    public static final String MIN_INITIAL_ROWS = "trigger.min-initial-rows";
    public static final String MIN_INTERVAL = "trigger.min-interval";
    public static final String SCHEDULE_ENABLED = "trigger.schedule.enabled";
    public static final String SCHEDULE_DAY = "trigger.schedule.day";
    public static final String SCHEDULE_TIME = "trigger.schedule.time";
    public static final String SCHEDULE_ZONE = "trigger.schedule.zone";
    /** The retraining cycle the loop is expected to keep (data time): the schedule's week by default. */
    public static final String EXPECTED_CYCLE = "trigger.stall.expected-cycle";
    /** LOOP_STALL after this many expected cycles of committed data without a request; 0 switches it off. */
    public static final String STALL_CYCLES = "trigger.stall.cycles";

    /** Validated configuration of the stage. */
    public record Config(URI snapshotPath, URI backupPath, PartitionGranularity granularity, String modelName,
            TriggerConfig trigger, Duration sealDeadline) implements Serializable {

        public static Config from(Settings settings) {
            SnapshotLocation location = SnapshotLocation.from(settings);
            double theta = settings.decimal(THETA, 0.10);
            Settings.require(theta > 0, THETA, "must be greater than 0, got " + theta);
            long minInitialRows = settings.longValue(MIN_INITIAL_ROWS, 1_000);
            Settings.require(minInitialRows >= 1, MIN_INITIAL_ROWS, "must be at least 1, got " + minInitialRows);
            Duration minInterval = settings.duration(MIN_INTERVAL, Duration.ofHours(1));
            Settings.require(!minInterval.isNegative(), MIN_INTERVAL, "must not be negative, got " + minInterval);
            TriggerSchedule schedule = settings.bool(SCHEDULE_ENABLED, true) ? schedule(settings) : null;
            // checkpoints commit the sink's files; a few intervals late is a stall, not a slow checkpoint
            Duration sealDeadline = settings.duration(SEAL_DEADLINE, Duration.ofMinutes(10));
            Settings.require(!sealDeadline.isNegative() && !sealDeadline.isZero(), SEAL_DEADLINE,
                    "must be positive, got " + sealDeadline);
            Duration cycle = settings.duration(EXPECTED_CYCLE, Duration.ofDays(7));
            Settings.require(!cycle.isNegative() && !cycle.isZero(), EXPECTED_CYCLE, "must be positive, got " + cycle);
            double cycles = settings.decimal(STALL_CYCLES, 2);
            Settings.require(cycles >= 0 && Double.isFinite(cycles), STALL_CYCLES,
                    "must be 0 (off) or positive, got " + cycles);
            return new Config(location.snapshotPath(), location.backupPath(), location.granularity(),
                    settings.string(MODEL_NAME, "load-forecast"),
                    new TriggerConfig(theta, minInitialRows, minInterval, schedule,
                            Duration.ofMillis((long) (cycles * cycle.toMillis()))), sealDeadline);
        }

        public IntegrityStore store() {
            return new IntegrityStore(snapshotPath, backupPath);
        }

        private static TriggerSchedule schedule(Settings settings) {
            DayOfWeek day = settings.enumValue(SCHEDULE_DAY, DayOfWeek.class, DayOfWeek.MONDAY);
            LocalTime time;
            try {
                time = LocalTime.parse(settings.string(SCHEDULE_TIME, "02:00"));
            } catch (DateTimeException e) {
                throw new ConfigException(SCHEDULE_TIME, "expected a time such as 02:00, got '"
                        + settings.string(SCHEDULE_TIME, "") + "'");
            }
            ZoneId zone;
            try {
                zone = ZoneId.of(settings.string(SCHEDULE_ZONE, "UTC"));
            } catch (DateTimeException e) {
                throw new ConfigException(SCHEDULE_ZONE, "expected a time zone such as UTC or Europe/Berlin, got '"
                        + settings.string(SCHEDULE_ZONE, "") + "'");
            }
            return new TriggerSchedule(day, time, zone);
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
