package io.imlma.udf.monitor;

import io.imlma.common.config.Catalogue;
import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.QualityCounts;
import io.imlma.common.types.RetrainRequest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingProcessingTimeWindows;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Wires all monitors onto the streaming job's streams; every operator has a name and a stable uid. Their settings
 * are {@link #declare}d (listed in docs/settings.md).
 */
public final class Monitors {
    /** Key of the data-quality monitor: the rates are pipeline-wide. */
    public static final String PIPELINE_SCOPE = "pipeline";

    /** The monitors' outputs: every alarm, and the retrain requests caused by drift (to feed the trigger). */
    public record Streams(DataStream<Alarm> alarms, DataStream<RetrainRequest> driftRetrainRequests) {}

    private Monitors() {}

    /**
     * Adds the monitors' settings to a program's catalogue: each monitor's options, the shared hysteresis and its
     * per-monitor overrides, the drift thresholds per feature (names assembled at run time, declared as patterns).
     */
    public static Catalogue declare(Catalogue catalogue) {
        catalogue.with(LatencyMonitor.OPTIONS).with(StabilityMonitor.OPTIONS).with(DriftMonitor.OPTIONS)
                .with(DataQualityMonitor.OPTIONS);
        DriftMonitor.PATTERNS.forEach(p -> catalogue.pattern(p, "A feature's own drift threshold (features:"
                + " standardized, mean, range); monitor.drift.ks-alpha and psi-threshold otherwise."));
        Hysteresis.declare(catalogue, "monitor.<monitor>", "A monitor's own hysteresis (latency, drift, quality);"
                + " monitor.hysteresis.* otherwise.");
        return Hysteresis.declare(catalogue, "monitor.stability.<check>", "A stability check's own hysteresis"
                + " (delta, variance); monitor.hysteresis.* otherwise.");
    }

    /**
     * @param driftReferences the serving champions' training references ({@link ChampionDriftReferences}), or
     *                        {@code null} when none are wired (then no drift is tested: there is nothing to test
     *                        against)
     */
    public static Streams attach(DataStream<Prediction> predictions, DataStream<FeatureRow> features,
                                 DataStream<DeadLetter> deadLetters, DataStream<MeterReading> lateReadings,
                                 DataStream<DriftReference> driftReferences, Settings settings) {
        LatencyMonitor.Config latency = LatencyMonitor.Config.fromSettings(settings);
        StabilityMonitor.Config stability = StabilityMonitor.Config.fromSettings(settings);
        DriftMonitor.Config drift = DriftMonitor.Config.fromSettings(settings);
        DataQualityMonitor.Config quality = DataQualityMonitor.Config.fromSettings(settings);
        Duration qualityInterval = DataQualityMonitor.INTERVAL.value(settings);

        SingleOutputStreamOperator<Alarm> latencyAlarms = predictions
                .process(new LatencyMonitor(latency), TypeInformation.of(Alarm.class))
                .name("latency-monitor").uid("latency-monitor");

        SingleOutputStreamOperator<Alarm> stabilityAlarms = predictions
                .keyBy(Prediction::meterId)
                .process(new StabilityMonitor(stability), TypeInformation.of(Alarm.class))
                .name("stability-monitor").uid("stability-monitor");

        DataStream<DriftReference> references = driftReferences != null
                ? driftReferences
                // an empty stream without a source: empty collection sources fail in Flink 1.20
                : features.flatMap((FeatureRow row, Collector<DriftReference> none) -> { },
                                TypeInformation.of(DriftReference.class))
                        .name("no-drift-references").uid("no-drift-references");
        SingleOutputStreamOperator<Alarm> driftAlarms = features
                .connect(references)
                .keyBy(FeatureRow::meterId, DriftReference::meterId)
                .process(new DriftMonitor(drift), TypeInformation.of(Alarm.class))
                .name("drift-monitor").uid("drift-monitor");

        // processing-time intervals: dead letters carry only the wall-clock time of their rejection
        DataStream<QualityCounts> counts = features
                .map(QualityCounts::ofFeatureRow).name("quality-counts-rows").uid("quality-counts-rows")
                .union(deadLetters.map(QualityCounts::ofDeadLetter)
                                .name("quality-counts-dead-letters").uid("quality-counts-dead-letters"),
                        lateReadings.map(QualityCounts::ofLateReading)
                                .name("quality-counts-late").uid("quality-counts-late"));
        SingleOutputStreamOperator<Alarm> qualityAlarms = counts
                .windowAll(TumblingProcessingTimeWindows.of(qualityInterval))
                .reduce(QualityCounts::plus).name("quality-counts-per-interval").uid("quality-counts-per-interval")
                .keyBy(c -> PIPELINE_SCOPE)
                .process(new DataQualityMonitor(quality), TypeInformation.of(Alarm.class))
                .name("data-quality-monitor").uid("data-quality-monitor");

        DataStream<Alarm> alarms = latencyAlarms.union(stabilityAlarms, driftAlarms, qualityAlarms);
        return new Streams(alarms, driftAlarms.getSideOutput(DriftMonitor.RETRAIN_REQUESTS));
    }
}
