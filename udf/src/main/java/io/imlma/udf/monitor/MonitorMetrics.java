package io.imlma.udf.monitor;

/**
 * Names of the metrics the monitors register, kept in one place so the Prometheus rules and the Grafana dashboard
 * can be checked against them.
 *
 * <p>All are registered on the operator's metric group. With the Prometheus reporter a metric {@code m} in a
 * key/value group {@code k=v} is exported as {@code flink_taskmanager_job_task_operator_k_m{k="v",...}}, e.g.
 * {@code flink_taskmanager_job_task_operator_alarm_type_alarmsRaised{alarm_type="LATENCY"}}.
 */
public final class MonitorMetrics {
    /** Counter, in group {@link #ALARM_TYPE_GROUP}: alarms raised (first notification of an episode). */
    public static final String ALARMS_RAISED = "alarmsRaised";
    /** Counter, in group {@link #ALARM_TYPE_GROUP}: re-notifications of an alarm still active. */
    public static final String ALARMS_RENOTIFIED = "alarmsRenotified";
    /** Counter, in group {@link #ALARM_TYPE_GROUP}: alarms cleared. */
    public static final String ALARMS_CLEARED = "alarmsCleared";
    /** Key of the group holding the alarm counters; its value is the {@code AlarmType} name. */
    public static final String ALARM_TYPE_GROUP = "alarm_type";

    /** Key of the group holding the latency metrics; its value is the {@code LatencyKind} name. */
    public static final String LATENCY_KIND_GROUP = "latency_kind";
    /** Gauge, in group {@link #LATENCY_KIND_GROUP}: 99th percentile of the recent latency window, ms. */
    public static final String LATENCY_P99_MS = "latencyP99Ms";
    /** Gauge, in group {@link #LATENCY_KIND_GROUP}: the configured alarm percentile of the window, ms. */
    public static final String LATENCY_PERCENTILE_MS = "latencyPercentileMs";
    /** Histogram, in group {@link #LATENCY_KIND_GROUP}: recent latencies, ms. */
    public static final String LATENCY_MS = "latencyMs";

    /** Gauge: the latest |ŷ_t − ŷ_{t−1}| seen by the subtask. */
    public static final String PREDICTION_STABILITY_DELTA = "predictionStabilityDelta";
    /** Gauge: the latest rolling-variance fluctuation |var − baseline| / baseline seen by the subtask. */
    public static final String PREDICTION_VARIANCE_FLUCTUATION = "predictionVarianceFluctuation";

    /** Gauge: the latest drift statistic (KS −log10 p, or PSI) computed by the subtask. */
    public static final String DRIFT_STATISTIC = "driftStatistic";
    /** Counter: drift tests run. */
    public static final String DRIFT_TESTS = "driftTests";
    /** Counter: retrain requests sent because of drift. */
    public static final String DRIFT_RETRAIN_REQUESTS = "driftRetrainRequests";

    /** Gauges: the latest rates of the data-quality monitor. */
    public static final String DEAD_LETTER_RATE = "deadLetterRate";
    public static final String IMPUTED_RATE = "imputedRate";
    public static final String LATE_RATE = "lateRate";

    private MonitorMetrics() {}
}
