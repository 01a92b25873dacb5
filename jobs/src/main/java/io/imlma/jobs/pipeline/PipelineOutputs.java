package io.imlma.jobs.pipeline;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What the preprocessing pipeline produces; later stages (snapshots, scoring, monitors) attach to {@link #features}.
 *
 * @param features    one row per meter and interval, in interval order per meter, imputed where no reading came
 * @param deadLetters input that could not be parsed, readings quarantined for clock skew and readings whose value
 *                    is implausible, with reasons
 * @param late        readings that arrived after their window was emitted
 * @param conflicts   same meter and timestamp with a different value (first value kept)
 */
public record PipelineOutputs(
        DataStream<FeatureRow> features,
        DataStream<DeadLetter> deadLetters,
        DataStream<MeterReading> late,
        DataStream<DuplicateConflict> conflicts) {}
