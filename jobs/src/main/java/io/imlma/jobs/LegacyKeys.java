package io.imlma.jobs;

import io.imlma.common.config.Catalogue;
import io.imlma.jobs.pipeline.PipelineConfig;
import java.util.List;

/**
 * TEMPORARY (phase 1 of typed settings): the keys of the configuration classes that do not declare {@code Option}s
 * yet, so that the programs' unknown-key check knows them. Read from their String constants where they have them;
 * the monitors assemble theirs at run time, so those are spelt out here. Each list goes when its class exposes
 * {@code OPTIONS}: PipelineConfig and the monitors (udf/monitor).
 */
final class LegacyKeys {
    static final List<String> PIPELINE = List.of(PipelineConfig.WINDOW_SIZE, PipelineConfig.OUT_OF_ORDERNESS,
            PipelineConfig.IDLENESS, PipelineConfig.DEDUP_TTL, PipelineConfig.MAX_FUTURE,
            PipelineConfig.WARM_UP_INTERVALS, PipelineConfig.CHECKPOINT_DIR, PipelineConfig.CHECKPOINT_INTERVAL);

    /** udf/monitor: LatencyMonitor, StabilityMonitor, DriftMonitor, DataQualityMonitor, Monitors, Hysteresis. */
    static final List<String> MONITORS = List.of(
            "monitor.latency.evaluate-every", "monitor.latency.event-budget", "monitor.latency.ingest-budget",
            "monitor.latency.min-samples", "monitor.latency.percentile", "monitor.latency.window",
            "monitor.stability.delta", "monitor.stability.delta-k", "monitor.stability.residual-std",
            "monitor.stability.variance", "monitor.stability.variance-threshold", "monitor.stability.window",
            "monitor.drift.features", "monitor.drift.ks-alpha", "monitor.drift.ks-max-window",
            "monitor.drift.psi-bins", "monitor.drift.psi-threshold", "monitor.drift.reference-size",
            "monitor.drift.retrain-request", "monitor.drift.stride", "monitor.drift.window",
            "monitor.quality.dead-letter-rate", "monitor.quality.imputed-rate", "monitor.quality.late-rate",
            "monitor.quality.min-records", "monitor.quality.interval", "model.name");

    private LegacyKeys() {}

    /** The monitors' keys and their hysteresis settings, per monitor and shared ({@code monitor.hysteresis.*}). */
    static Catalogue monitors(Catalogue catalogue) {
        catalogue.keys(MONITORS);
        for (String setting : List.of("raise-after", "clear-after", "clear-margin", "renotify-every")) {
            catalogue.pattern("monitor.<monitor>." + setting, "Hysteresis of a monitor's alarm (latency, drift,"
                    + " quality, hysteresis = all), see udf/monitor/Hysteresis.");
            catalogue.pattern("monitor.stability.<check>." + setting, "Hysteresis of a stability check's alarm"
                    + " (delta, variance).");
        }
        return catalogue;
    }
}
