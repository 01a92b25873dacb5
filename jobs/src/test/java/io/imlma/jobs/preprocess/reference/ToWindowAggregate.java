package io.imlma.jobs.preprocess.reference;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Attaches the meter and the window bounds to the pre-aggregated statistics. */
public class ToWindowAggregate
        extends ProcessWindowFunction<MeanMinMaxAggregate.Accumulator, WindowAggregate, String, TimeWindow> {
    @Override
    public void process(String meterId, Context ctx, Iterable<MeanMinMaxAggregate.Accumulator> results,
            Collector<WindowAggregate> out) {
        MeanMinMaxAggregate.Accumulator acc = results.iterator().next();
        TimeWindow w = ctx.window();
        out.collect(new WindowAggregate(meterId, w.getStart(), w.getEnd(), acc.mean(), acc.min, acc.max, acc.count,
                acc.maxIngestTime));
    }
}
