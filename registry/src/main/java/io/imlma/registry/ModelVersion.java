package io.imlma.registry;

import io.imlma.common.types.ModelUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model version as stored.
 *
 * @param deltaVsPrevious        the paper's ΔM_v against version − 1, or {@code null} for the first version. Each
 *                               version's metrics are on its own test rows, so this compares different test
 *                               windows: a trend, not a verdict
 * @param deltaVsChampion        ΔM against the champion the replacement decision compared it with, both measured
 *                               on this version's {@code testRows} (like for like, as the decision saw them); null
 *                               when it was not measured so (no champion, or registered before this was stored)
 * @param testRows               the rows {@code metrics} were computed on, or {@code null} if not recorded
 * @param championAtRegistration the champion it was compared with (or, for versions registered before the
 *                               comparison was stored, the champion at registration), or {@code null} if none
 * @param championMetrics        that champion's metrics on {@code testRows}, or {@code null} if not measured there
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
        List<String> decisionReasons,
        TestRows testRows,
        Integer championAtRegistration,
        VersionMetrics championMetrics) {

    /**
     * This version as the scorer's update, published at its last status change: for the champion, when it became
     * champion (so a rollback to it is newer than the champion it replaced).
     */
    public ModelUpdate championUpdate() {
        return new ModelUpdate(modelName, version, artifactPath, artifactSha256, statusChangedAt.toEpochMilli());
    }
}
