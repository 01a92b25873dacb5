package io.imlma.udf.ingest;

import io.imlma.udf.PipelineMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The counters every parser of raw input keeps: records in, readings out, records dead-lettered. */
record ParseCounters(Counter recordsIn, Counter readingsOut, Counter deadLettered) {

    static ParseCounters register(MetricGroup operator) {
        return new ParseCounters(operator.counter(PipelineMetrics.RECORDS_IN),
                operator.counter(PipelineMetrics.READINGS_OUT), operator.counter(PipelineMetrics.DEAD_LETTERED));
    }
}
