package io.imlma.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model version as stored.
 *
 * @param deltaVsPrevious ΔM against version − 1, or {@code null} for the first version
 * @param deltaVsChampion ΔM against the champion at registration time, or {@code null} if there was none
 */
public record ModelVersion(
        String modelName,
        int version,
        Instant createdAt,
        String trainingRun,
        Instant dataFrom,
        Instant dataTo,
        String snapshotId,
        String trainer,
        Map<String, Object> hyperparameters,
        VersionMetrics metrics,
        MetricDeltas deltaVsPrevious,
        MetricDeltas deltaVsChampion,
        String artifactPath,
        String artifactSha256,
        VersionStatus status,
        Instant statusChangedAt,
        List<String> decisionReasons) {}
