package io.imlma.udf;

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

    private PipelineMetrics() {}
}
