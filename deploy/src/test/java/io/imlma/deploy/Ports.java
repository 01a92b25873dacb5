package io.imlma.deploy;

/** Ports the deployable configuration must agree on. */
final class Ports {
    /** Flink's Prometheus reporter in every JobManager and TaskManager. */
    static final int FLINK_PROMETHEUS = 9249;
    /** Flink REST API and web UI. */
    static final int FLINK_REST = 8081;
    /** The IMLMA HTTP API (/healthz, /metrics, /train, /predict, /evaluate). */
    static final int API = 7070;

    private Ports() {}
}
