package io.imlma.jobs.loop;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.udf.monitor.MonitorMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A retraining that was requested but did not run to its end (launch failed, canceled or timed out) stalls the loop
 * as surely as one never requested: the trigger counted its data, so it will not ask again until more arrives. Keyed
 * by model, each such outcome raises (or, while failures go on, re-notifies) a {@link AlarmType#LOOP_STALL} alarm
 * with the launcher's reason; the next retraining that succeeds resolves it. Outcomes handed to external tooling
 * (Kubernetes) or still running say nothing either way.
 */
final class FailedRetrainAlarms extends KeyedProcessFunction<String, LaunchOutcome, Alarm> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<String> openAlarm;
    /** Counted as the monitors count theirs, so the LoopStalled alert rule relays it. */
    private transient Counter raised;

    @Override
    public void open(OpenContext openContext) {
        openAlarm = getRuntimeContext().getState(new ValueStateDescriptor<>("open-retrain-failure", Types.STRING));
        raised = getRuntimeContext().getMetricGroup()
                .addGroup(MonitorMetrics.ALARM_TYPE_GROUP, AlarmType.LOOP_STALL.name())
                .counter(MonitorMetrics.ALARMS_RAISED);
    }

    @Override
    public void processElement(LaunchOutcome outcome, Context ctx, Collector<Alarm> out) throws Exception {
        String model = ctx.getCurrentKey();
        String open = openAlarm.value();
        long time = outcome.finishedAt() > 0 ? outcome.finishedAt() : outcome.startedAt();
        switch (outcome.status()) {
            case FAILED, CANCELED, TIMED_OUT -> {
                String id = open != null ? open : "retrain-failed:" + model + ":" + outcome.requestId();
                out.collect(new Alarm(id, AlarmType.LOOP_STALL, Severity.WARNING, null, 0, 0, 0, time,
                        (open != null ? "still active: " : "") + "retraining " + outcome.requestId() + " of " + model
                                + " " + outcome.status() + ": " + outcome.message()));
                if (open == null) {
                    raised.inc();
                }
                openAlarm.update(id);
            }
            case SUCCEEDED -> {
                if (open != null) {
                    out.collect(new Alarm(open, AlarmType.LOOP_STALL, Severity.INFO, null, 0, 0, 0, time,
                            "resolved: retraining " + outcome.requestId() + " of " + model + " succeeded"));
                    openAlarm.clear();
                }
            }
            case RUNNING, SUBMITTED -> { }
        }
    }
}
