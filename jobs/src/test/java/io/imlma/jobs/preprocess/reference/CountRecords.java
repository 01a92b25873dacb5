package io.imlma.jobs.preprocess.reference;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/** Passes records through unchanged and counts them, e.g. the late side output, which has no operator of its own. */
public class CountRecords<T> extends RichMapFunction<T, T> {
    private final String counterName;
    private transient Counter counter;

    public CountRecords(String counterName) {
        this.counterName = counterName;
    }

    @Override
    public void open(OpenContext openContext) {
        counter = getRuntimeContext().getMetricGroup().counter(counterName);
    }

    @Override
    public T map(T value) {
        counter.inc();
        return value;
    }
}
