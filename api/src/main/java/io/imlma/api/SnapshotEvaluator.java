package io.imlma.api;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.integrity.SnapshotReader;
import io.imlma.common.integrity.TimeRange;
import io.imlma.common.integrity.VerificationReport;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.FeatureRow;
import io.imlma.ml.eval.Evaluation;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.TrainingWindows;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.TestRows;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Evaluates a version on the committed snapshots of a range the way a retraining over that range tests its
 * candidate ({@link TrainingWindows#evaluate}): on every meter's newest 15 % of forecast windows, next to the champion and the naive
 * baselines (and, when asked, another version), so the numbers compare with the registry's. The snapshot range is verified first (bad files restored
 * from the backup, a range that cannot be restored refused) and model files are loaded only after their SHA-256
 * check. Settings: {@code snapshot.*} ({@link SnapshotLocation}), {@code training.min-windows-per-meter},
 * {@code replacement.*}.
 */
final class SnapshotEvaluator implements Evaluator {
    private final SnapshotLocation snapshots;
    private final ModelRegistry registry;
    private final ModelStore modelStore;
    private final int minTargets;
    private final ReplacementPolicy policy;
    private final Clock clock;
    private final Consumer<Alarm> alarms;

    private SnapshotEvaluator(SnapshotLocation snapshots, ModelRegistry registry, ModelStore modelStore,
            int minTargets, ReplacementPolicy policy, Clock clock, Consumer<Alarm> alarms) {
        this.snapshots = snapshots;
        this.registry = registry;
        this.modelStore = modelStore;
        this.minTargets = minTargets;
        this.policy = policy;
        this.clock = clock;
        this.alarms = alarms;
    }

    /** The evaluator the settings describe, or empty when they name no snapshots to evaluate on. */
    static Optional<Evaluator> from(Settings settings, ModelRegistry registry, ModelStore modelStore, Clock clock) {
        if (!SnapshotLocation.isConfigured(settings)) {
            return Optional.empty();
        }
        return Optional.of(new SnapshotEvaluator(SnapshotLocation.from(settings), registry, modelStore,
                TrainingWindows.minWindows(settings), ReplacementPolicy.from(settings), clock, registry::recordAlarm));
    }

    @Override
    public Result evaluate(ModelVersion version, ModelVersion against, Instant from, Instant to)
            throws IntegrityException, IOException {
        TimeRange range = new TimeRange(from.toEpochMilli(), to.toEpochMilli());
        List<FeatureRow> rows = new SnapshotReader(snapshots.store()).read(verified(range).manifests(), range);
        ModelArtifact evaluated = modelStore.load(version.artifactPath(), version.artifactSha256());
        // the champion evaluated is compared with itself: the policy does not replace it by itself
        Optional<ModelVersion> champion = registry.champion(version.modelName());
        ModelArtifact championArtifact = champion.isEmpty() ? null
                : modelStore.load(champion.get().artifactPath(), champion.get().artifactSha256());
        TrainingWindows data = TrainingWindows.build(rows, evaluated.spec(), minTargets);
        Evaluation evaluation = data.evaluate(evaluated.model(), championArtifact, policy, new ArrayList<>());
        // the other version scored in the champion's place, on the windows that have the history both read
        Metrics againstMetrics = against == null ? null : data.evaluate(evaluated.model(),
                modelStore.load(against.artifactPath(), against.artifactSha256()), policy, new ArrayList<>())
                .champion();
        return new Result(TestRows.of(data.testWindowsFor(championArtifact)), evaluation.candidate(),
                champion.map(ModelVersion::version).orElse(null), evaluation.champion(),
                against == null ? null : against.version(), againstMetrics, evaluation.lastValue(),
                evaluation.seasonalValue(), evaluation.decision());
    }

    /** The range's manifests; a range with partitions not committed or not restorable cannot be evaluated. */
    private VerificationReport verified(TimeRange range) {
        try {
            VerificationReport report = new IntegrityVerifier(snapshots.store(), clock)
                    .verifySnapshot(range, snapshots.granularity());
            report.alarms().forEach(alarms);
            return report;
        } catch (IntegrityException e) {
            e.report().alarms().forEach(alarms);
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
