package io.imlma.udf;

import io.imlma.common.types.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counter names registered on the operators' metric groups. Through the Prometheus reporter they appear as
 * {@code flink_taskmanager_job_task_operator_<name>} with the operator name as a label.
 */
public final class PipelineMetrics {
    public static final String RECORDS_IN = "imlmaRecordsIn";
    public static final String READINGS_OUT = "imlmaReadingsOut";
    public static final String DEAD_LETTERED = "imlmaDeadLettered";
    public static final String DUPLICATES = "imlmaDuplicates";
    public static final String CONFLICTS = "imlmaConflicts";
    public static final String LATE = "imlmaLateReadings";
    public static final String IMPUTED = "imlmaImputedRows";
    public static final String FEATURE_ROWS = "imlmaFeatureRows";
    /**
     * Readings set aside after parsing (implausible value, clock skew), in a group {@link #REASON_GROUP} = the
     * {@link io.imlma.common.types.RejectReason#metricLabel()}: {@code ..._operator_reason_imlmaRejected{reason=...}}.
     */
    public static final String REJECTED = "imlmaRejected";
    public static final String REASON_GROUP = "reason";

    private PipelineMetrics() {}

    /** The {@link #REJECTED} counter of each of {@code reasons} on an operator's metric group. */
    public static Map<RejectReason, Counter> rejectedCounters(MetricGroup metrics, RejectReason... reasons) {
        Map<RejectReason, Counter> counters = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : reasons) {
            counters.put(reason, metrics.addGroup(REASON_GROUP, reason.metricLabel()).counter(REJECTED));
        }
        return counters;
    }
}
