package io.imlma.jobs.preprocess.reference;

import io.imlma.udf.PipelineMetrics;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by meter: makes the interval sequence of every meter gap-free from its first reading on. An interval with no
 * reading gets a row whose mean, min and max are the meter's running mean (of its observed interval means) and whose
 * count is 0 — the mark of an imputed row.
 *
 * <p>Gaps are found two ways: when the next real window arrives (it says where the meter resumed), and by an
 * event-time timer at the end of the next expected interval, so a meter that goes silent while other meters keep the
 * watermark moving gets its rows when the watermark passes, not only when it speaks again. Window results reach
 * this operator before the watermark that fired them, so a timer firing means the interval really had no reading.
 * At end of input (watermark at its maximum) nothing is imputed: there is no later time to fill up to.
 */
public class ImputeMissingIntervals extends KeyedProcessFunction<String, WindowAggregate, WindowAggregate> {
    private static final Logger LOG = LoggerFactory.getLogger(ImputeMissingIntervals.class);

    /** Per-meter progress and running mean. */
    public static class Progress {
        /** start of the next interval this meter owes a row for */
        public long nextStart;
        public double sumOfMeans;
        public long observedIntervals;

        double runningMean() {
            return sumOfMeans / observedIntervals;
        }
    }

    private final long intervalMillis;
    private transient ValueState<Progress> progress;
    private transient Counter imputed;

    public ImputeMissingIntervals(Duration interval) {
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("impute-progress", Progress.class));
        imputed = getRuntimeContext().getMetricGroup().counter(PipelineMetrics.IMPUTED);
    }

    @Override
    public void processElement(WindowAggregate window, Context ctx, Collector<WindowAggregate> out) throws Exception {
        Progress p = progress.value();
        if (p == null) {
            p = new Progress();
        } else {
            if (window.windowStart() < p.nextStart) {
                // cannot happen with allowed lateness 0 (each window fires once, in time order); never emit twice
                LOG.warn("Ignoring window {} of {}: rows up to {} were already emitted", window.windowStart(),
                        window.meterId(), p.nextStart);
                return;
            }
            ctx.timerService().deleteEventTimeTimer(p.nextStart + intervalMillis - 1);
            fill(ctx.getCurrentKey(), p, window.windowStart(), out);
        }
        out.collect(window);
        p.sumOfMeans += window.mean();
        p.observedIntervals++;
        p.nextStart = window.windowEnd();
        progress.update(p);
        ctx.timerService().registerEventTimeTimer(p.nextStart + intervalMillis - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowAggregate> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (watermark == Long.MAX_VALUE) {
            return;
        }
        Progress p = progress.value();
        // every interval whose last millisecond the watermark has reached is owed a row
        long owedIntervals = (watermark + 1 - p.nextStart) / intervalMillis;
        fill(ctx.getCurrentKey(), p, p.nextStart + owedIntervals * intervalMillis, out);
        progress.update(p);
        ctx.timerService().registerEventTimeTimer(p.nextStart + intervalMillis - 1);
    }

    /** Emits imputed rows for [p.nextStart, until) and advances p.nextStart to until. */
    private void fill(String meterId, Progress p, long until, Collector<WindowAggregate> out) {
        double mean = p.runningMean();
        for (long start = p.nextStart; start < until; start += intervalMillis) {
            out.collect(new WindowAggregate(meterId, start, start + intervalMillis, mean, mean, mean, 0, 0));
            imputed.inc();
        }
        p.nextStart = Math.max(p.nextStart, until);
    }
}
