package io.imlma.jobs.loop;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.jobs.retrain.RetrainRefusedException;
import io.imlma.jobs.retrain.RetrainResult;
import io.imlma.udf.monitor.RaisedAlarms;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The alarms of the loop's retrainings, keyed by model.
 *
 * <p>A retraining that was requested but did not run to its end (launch failed, canceled or timed out) stalls the
 * loop as surely as one never requested: the trigger counted its data, so it will not ask again until more arrives.
 * Each such outcome raises (or, while failures go on, re-notifies) a {@link AlarmType#LOOP_STALL} alarm with the
 * launcher's reason; the next retraining that succeeds resolves it. Outcomes handed to external tooling (Kubernetes)
 * or still running say nothing either way.
 *
 * <p>A retraining that found a snapshot or model file corrupted and restored it from its backup recorded the
 * {@link AlarmType#INTEGRITY} alarms in the registry, wherever it ran; they come back in its outcome's results and are
 * relayed here, so that they reach the alarms topic and the IntegrityFailure alert rule like the scorer's. A run
 * refused because a file and its backup were both bad has no results: its critical alarm is raised again here from
 * the failure ({@link RetrainRefusedException#refused}), under the id the run recorded, beside the LOOP_STALL one.
 */
final class RetrainAlarms extends KeyedProcessFunction<String, LaunchOutcome, Alarm> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<String> openAlarm;
    /** Counted as the monitors count theirs, so that the alert rules relay them. */
    private transient RaisedAlarms raised;

    @Override
    public void open(OpenContext openContext) {
        openAlarm = getRuntimeContext().getState(new ValueStateDescriptor<>("open-retrain-failure", Types.STRING));
        raised = new RaisedAlarms(getRuntimeContext().getMetricGroup(), AlarmType.INTEGRITY, AlarmType.LOOP_STALL);
    }

    @Override
    public void processElement(LaunchOutcome outcome, Context ctx, Collector<Alarm> out) throws Exception {
        RetrainResult.alarmsIn(outcome.results()).forEach(alarm -> out.collect(raised.count(alarm)));
        String model = ctx.getCurrentKey();
        String open = openAlarm.value();
        long time = outcome.finishedAt() > 0 ? outcome.finishedAt() : outcome.startedAt();
        switch (outcome.status()) {
            case FAILED, CANCELED, TIMED_OUT -> {
                if (RetrainRefusedException.refused(outcome.message())) {
                    // the run recorded it in the registry; the alert rules see it only from here
                    out.collect(raised.count(RetrainRefusedException.alarm(outcome.requestId(), 0, time,
                            "retraining " + outcome.requestId() + " of " + model + " refused: a snapshot file and its"
                                    + " backup both failed their checks (" + outcome.message() + ")")));
                }
                String id = open != null ? open : "retrain-failed:" + model + ":" + outcome.requestId();
                Alarm alarm = new Alarm(id, AlarmType.LOOP_STALL, Severity.WARNING, null, 0, 0, 0, time,
                        (open != null ? "still active: " : "") + "retraining " + outcome.requestId() + " of " + model
                                + " " + outcome.status() + ": " + outcome.message());
                // a re-notification is not a new raise
                out.collect(open == null ? raised.count(alarm) : alarm);
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
