package io.imlma.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model to register. The registry assigns the version number and computes the ΔM figures.
 *
 * @param trainingRun     id of the training run that produced it (links its tuning trials), or {@code null}
 * @param dataFrom        first event time of the training data, or {@code null} if unknown
 * @param dataTo          end of the training data, or {@code null} if unknown
 * @param snapshotId      the data snapshot it was trained on, or {@code null}
 * @param hyperparameters chosen hyperparameters (JSON-serializable values)
 * @param artifactSha256  lower-case hex SHA-256 of the artifact file
 * @param decisionReasons why the replacement policy decided as it did, in order
 * @param testRows        the rows {@code metrics} were computed on, or {@code null} if unknown
 * @param championVersion the champion the replacement decision compared it with, or {@code null} if none
 * @param championMetrics that champion's metrics on the same {@code testRows}, or {@code null} if it was not
 *                        measured on them (no champion, or its model file was refused)
 */
public record NewVersion(
        String modelName,
        String trainingRun,
        Instant dataFrom,
        Instant dataTo,
        String snapshotId,
        String trainer,
        Map<String, Object> hyperparameters,
        VersionMetrics metrics,
        String artifactPath,
        String artifactSha256,
        List<String> decisionReasons,
        TestRows testRows,
        Integer championVersion,
        VersionMetrics championMetrics) {

    public NewVersion {
        requireText(modelName, "modelName");
        requireText(trainer, "trainer");
        requireText(artifactPath, "artifactPath");
        Objects.requireNonNull(metrics, "metrics");
        if (artifactSha256 == null || !artifactSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("artifactSha256 must be 64 lower-case hex digits, got " + artifactSha256);
        }
        if (dataFrom != null && dataTo != null && dataTo.isBefore(dataFrom)) {
            throw new IllegalArgumentException("dataTo " + dataTo + " is before dataFrom " + dataFrom);
        }
        if (championMetrics != null && (championVersion == null || testRows == null)) {
            throw new IllegalArgumentException("championMetrics need the champion's version and the test rows they"
                    + " were computed on");
        }
        hyperparameters = hyperparameters == null ? Map.of() : hyperparameters;
        decisionReasons = decisionReasons == null ? List.of() : List.copyOf(decisionReasons);
    }

    /** A version whose test rows are not known and that was not measured against a champion on them. */
    public NewVersion(String modelName, String trainingRun, Instant dataFrom, Instant dataTo, String snapshotId,
            String trainer, Map<String, Object> hyperparameters, VersionMetrics metrics, String artifactPath,
            String artifactSha256, List<String> decisionReasons) {
        this(modelName, trainingRun, dataFrom, dataTo, snapshotId, trainer, hyperparameters, metrics, artifactPath,
                artifactSha256, decisionReasons, null, null, null);
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
