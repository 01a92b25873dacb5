package io.imlma.jobs;

import io.imlma.jobs.pipeline.PipelineConfig;
import java.util.List;

/**
 * TEMPORARY (phase 1 of typed settings): the keys of the configuration classes that do not declare {@code Option}s
 * yet, so that the programs' unknown-key check knows them. Read from their String constants where they have them;
 * the monitors assemble theirs at run time, so those are spelt out here. Each list goes when its class exposes
 * {@code OPTIONS}: PipelineConfig.
 */
final class LegacyKeys {
    static final List<String> PIPELINE = List.of(PipelineConfig.WINDOW_SIZE, PipelineConfig.OUT_OF_ORDERNESS,
            PipelineConfig.IDLENESS, PipelineConfig.DEDUP_TTL, PipelineConfig.MAX_FUTURE,
            PipelineConfig.WARM_UP_INTERVALS, PipelineConfig.CHECKPOINT_DIR, PipelineConfig.CHECKPOINT_INTERVAL);

    private LegacyKeys() {}
}
