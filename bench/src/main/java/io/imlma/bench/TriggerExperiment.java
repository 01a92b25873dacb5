package io.imlma.bench;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.ml.data.Dataset;
import io.imlma.ml.eval.Evaluation;
import io.imlma.ml.eval.Metric;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementDecision;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.eval.ReplacementRule;
import io.imlma.ml.model.Model;
import io.imlma.udf.monitor.DriftMonitor;
import io.imlma.udf.trigger.RetrainTrigger;
import io.imlma.udf.trigger.TriggerConfig;
import io.imlma.udf.trigger.TriggerSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.hipparchus.stat.StatUtils;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/**
 * Table 1: ETTm1's daily snapshot partitions replayed through the real {@link RetrainTrigger} (event time advanced
 * hour by hour, so the weekly timer fires on time), each request retrained at once, the candidate judged by the
 * system's default replacement rule and promoted when accepted. The drift policy adds the real
 * {@link DriftMonitor}'s retrain requests, fed to the trigger as requests from outside (its second input).
 */
final class TriggerExperiment {
    private static final String MODEL = "load-forecast";
    private static final long HOUR_MS = 3_600_000L;
    private static final long NONE = Long.MIN_VALUE;
    /** A comparison of two models' test MAE closer than this many standard errors is counted as a tie. */
    private static final double TIE_STANDARD_ERRORS = 2;
    private static final DriftMonitor.Config DRIFT_DEFAULTS = DriftMonitor.Config.fromSettings(new Settings(Map.of()));

    /** Values in a published drift reference ("a few hundred suffice"). */
    private static final int REFERENCE_SAMPLE = 500;

    enum Kind { WEEKLY, DUAL, DRIFT }

    /** A trigger policy to replay. */
    record Policy(String name, Kind kind, TriggerConfig trigger) {
        boolean drift() {
            return kind == Kind.DRIFT;
        }
    }

    /**
     * What one replay measured.
     *
     * @param judgements how each retraining that had a champion to beat compared with it on the test part
     */
    record Outcome(Policy policy, int requests, Map<RetrainReason, Integer> byReason, double cycleDays,
                   List<Judgement> judgements, double delayHours, int delayEpisodes, int unresolved) {

        int judged() {
            return judgements.size();
        }

        /** Share of judged retrainings for which {@code test} holds; NaN when none was judged. */
        double share(Predicate<Judgement> test) {
            return judgements.isEmpty() ? Double.NaN
                    : judgements.stream().filter(test).count() / (double) judgements.size();
        }

        double medianAbsoluteMaeChange() {
            return judgements.isEmpty() ? Double.NaN : StatUtils.percentile(
                    judgements.stream().mapToDouble(j -> Math.abs(j.maeImprovement())).toArray(), 50);
        }

        double meanOverlap() {
            return judgements.stream().mapToDouble(Judgement::overlap).average().orElse(Double.NaN);
        }

        /** A warranted update waits for an accepted candidate: with rejection share r, 1 / (1 − r) cycles. */
        double cyclesPerAcceptedHours() {
            return cycleDays * 24 / (1 - share(j -> !j.strictAccepts()));
        }
    }

    /**
     * A candidate against the champion on the candidate's test part.
     *
     * @param maeImprovement (MAE_old − MAE_new) / MAE_old
     * @param strictAccepts  the system's default rule (STRICT) replaces the champion
     * @param paperAccepts   the paper's rule (MAE or R² better) would replace it
     * @param overlap        share of the candidate's training window that the champion's window also covered
     * @param tie            the MAE difference is within two standard errors of the mean paired difference of
     *                       absolute errors on the test rows
     * @param testRows       rows of the test part
     */
    record Judgement(double maeImprovement, boolean strictAccepts, boolean paperAccepts, double overlap,
                     boolean tie, int testRows) {
        boolean notBetter() {
            return !(maeImprovement > 0);
        }

        boolean withinStrictMargin() {
            return Math.abs(maeImprovement) < ReplacementPolicy.strict().maeMargin();
        }
    }

    private static final class Champion {
        final Model model;
        final long servingFrom;
        final double referenceMae;
        final long dataFrom;
        final long dataTo;

        Champion(Model model, long servingFrom, double referenceMae, long dataFrom, long dataTo) {
            this.model = model;
            this.servingFrom = servingFrom;
            this.referenceMae = referenceMae;
            this.dataFrom = dataFrom;
            this.dataTo = dataTo;
        }
    }

    private TriggerExperiment() {}

    static Section run(ExperimentConfig config, LoadData data, Progress progress) throws Exception {
        long minInitialRows = config.triggerWindowWeeks() * 7L * 96;
        List<Policy> policies = new ArrayList<>();
        TriggerSchedule weekly = TriggerSchedule.weeklyMondayAt2();
        // the weekly-only trigger: a θ no stream reaches
        policies.add(new Policy("weekly (Monday 02:00)", Kind.WEEKLY, new TriggerConfig(1e9, minInitialRows,
                Duration.ofHours(1), weekly)));
        for (double theta : config.triggerThetas()) {
            policies.add(new Policy(String.format(Locale.ROOT, "dual, θ = %.2f", theta), Kind.DUAL,
                    new TriggerConfig(theta, minInitialRows, Duration.ofHours(1), weekly)));
        }
        policies.add(new Policy("drift (KS) or weekly", Kind.DRIFT, new TriggerConfig(1e9, minInitialRows,
                Duration.ofHours(1), weekly)));

        List<Outcome> outcomes = new ArrayList<>();
        for (Policy policy : policies) {
            Outcome o = replay(config, data, policy);
            outcomes.add(o);
            progress.step("trigger %-24s %3d requests, cycle %.1f d, STRICT rejects %s, delay %.1f h",
                    policy.name(), o.requests(), o.cycleDays(), MarkdownTable.percent(o.share(j -> !j.strictAccepts())),
                    o.delayHours());
        }

        Section section = new Section("Trigger policies: weekly vs dual vs drift (Table 1)");
        section.text(String.format(Locale.ROOT, """
                Data: %s, channel %s, %.0f days from %s, replayed as daily snapshot partitions (`PartitionCommitted`, \
                rows = intervals of the day) through `RetrainTrigger` in Flink's keyed operator test harness; event \
                time advances hour by hour. Trigger settings: first training after %d rows (%d weeks), minimum \
                interval 1 h (the system's default), weekly schedule Monday 02:00 UTC. The weekly-only policy is the \
                same trigger with an unreachable θ. The drift policy feeds the real `DriftMonitor` (defaults: the last \
                %d standardized values tested every %d against the champion's training data, KS up to %d values and \
                the population stability index above, hysteresis) with the rows and sends its retrain \
                requests to the trigger's request input; each promotion publishes the training window as the new \
                drift reference. Every request retrains at once: a linear model (default hyperparameters) on the \
                %d weeks of committed data before the request, 70/15/15 split, judged against the champion on the \
                test part by the STRICT rule (the system's default) and promoted when accepted, serving from the \
                request time plus the measured training time.

                Definitions: *update cycle* = mean time between consecutive retrain requests (days). *Invalid \
                update*, three readings, each as a share of the retrainings that had a champion, all on the \
                candidate's test part (the newest 15 %% of its window, unseen by both models): *STRICT rejects* = \
                the system's default rule keeps the champion (it needs MAE better by ≥ 1 %%, MSE at most 2 %% worse, \
                R² at most 0.02 lower), which is what this replay does; *not better* = MAE_new ≥ MAE_old; *paper's \
                rule rejects* = neither MAE_new < MAE_old nor R²_new > R²_old, i.e. the paper's own replacement \
                rule would not deploy the candidate — the paper-style definition. (DESIGN.md gives the paper's \
                figures, not how the paper counted them.) *Update warranted* = at the end of a day, the serving \
                champion's MAE on that day exceeds its own test MAE by more than %.0f %%; *update delay* = hours \
                from that moment to the next new champion serving, averaged over such episodes (episodes still open \
                at the end are counted as unresolved, not in the mean). *|MAE change|* = |MAE_old − MAE_new| / \
                MAE_old of a candidate against its champion; *tie* = that difference is smaller than two \
                standard errors of the mean paired difference of the two models' absolute errors on the test rows \
                (errors of neighbouring intervals are correlated, so this counts too few ties, not too many); \
                *window overlap* = the share of the candidate's training window that its champion's window \
                covered too.
                """, config.input().getFileName(), config.channel(), data.days(),
                Instant.ofEpochMilli(data.start()).toString().substring(0, 10), minInitialRows,
                config.triggerWindowWeeks(), DRIFT_DEFAULTS.window(), DRIFT_DEFAULTS.stride(),
                DRIFT_DEFAULTS.ksMaxWindow(), config.triggerWindowWeeks(), 100 * config.triggerDegradationMargin()));
        MarkdownTable table = new MarkdownTable("policy", "requests (volume/schedule/drift)",
                "avg update cycle (days)", "invalid: STRICT rejects", "invalid: not better (MAE)",
                "invalid: paper's rule rejects", "avg update delay (h)", "delay episodes (unresolved)");
        for (Outcome o : outcomes) {
            table.row(o.policy().name(), String.format(Locale.ROOT, "%d (%d/%d/%d)", o.requests(),
                            o.byReason().getOrDefault(RetrainReason.VOLUME, 0),
                            o.byReason().getOrDefault(RetrainReason.SCHEDULE, 0),
                            o.byReason().getOrDefault(RetrainReason.DRIFT, 0)),
                    o.cycleDays(), MarkdownTable.percent(o.share(j -> !j.strictAccepts())),
                    MarkdownTable.percent(o.share(Judgement::notBetter)),
                    MarkdownTable.percent(o.share(j -> !j.paperAccepts())),
                    o.delayHours(), o.delayEpisodes() + " (" + o.unresolved() + ")");
        }
        section.table(table);
        section.table(new MarkdownTable("paper's policy", "update cycle (days)", "update delay (h)", "invalid updates")
                .row("fixed weekly", "7", "12.5", "18 %")
                .row("dual (θ·D0 or weekly)", "5.4", "9.6", "3 %"));
        MarkdownTable closeness = new MarkdownTable("policy", "retrainings judged", "median |MAE change|",
                "|MAE change| < 1 % (STRICT's margin)", "ties (< 2 standard errors)",
                "mean window overlap with the champion", "1 / (1 − STRICT rejects) cycles (h)");
        for (Outcome o : outcomes) {
            closeness.row(o.policy().name(), o.judged(), MarkdownTable.percent(o.medianAbsoluteMaeChange()),
                    MarkdownTable.percent(o.share(Judgement::withinStrictMargin)),
                    MarkdownTable.percent(o.share(Judgement::tie)), MarkdownTable.percent(o.meanOverlap()),
                    o.cyclesPerAcceptedHours());
        }
        section.table(closeness);
        read(section, outcomes);
        return section;
    }

    /** The reading of Table 1 and the differences from the paper, from the replays' numbers. */
    private static void read(Section section, List<Outcome> outcomes) {
        Outcome weekly = outcomes.get(0);
        List<Outcome> dual = outcomes.stream().filter(o -> o.policy().kind() == Kind.DUAL).toList();
        Outcome defaultDual = dual.stream().filter(o -> o.policy().trigger().theta() == 0.10).findFirst()
                .orElse(dual.isEmpty() ? weekly : dual.get(0));
        double[] strict = outcomes.stream().mapToDouble(o -> o.share(j -> !j.strictAccepts())).toArray();
        double[] notBetter = outcomes.stream().mapToDouble(o -> o.share(Judgement::notBetter)).toArray();
        double[] paperStyle = outcomes.stream().mapToDouble(o -> o.share(j -> !j.paperAccepts())).toArray();
        double[] within = outcomes.stream().mapToDouble(o -> o.share(Judgement::withinStrictMargin)).toArray();
        double[] median = outcomes.stream().mapToDouble(Outcome::medianAbsoluteMaeChange).toArray();
        double[] overlap = outcomes.stream().mapToDouble(Outcome::meanOverlap).toArray();
        double lowestPaperStyle = Arrays.stream(paperStyle).min().orElse(Double.NaN);
        double meanNotBetter = Arrays.stream(notBetter).average().orElse(Double.NaN);
        double[] measuredDelay = outcomes.stream().mapToDouble(Outcome::delayHours).toArray();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "The dual trigger requests a retraining every %s days, the weekly "
                + "schedule alone every %s (paper: 5.4 vs 7). ",
                Phrases.range(dual.stream().mapToDouble(Outcome::cycleDays).toArray(), d -> Phrases.number("%.1f", d)),
                Phrases.number("%.1f", weekly.cycleDays())));
        double meanStrict = Arrays.stream(strict).average().orElse(Double.NaN);
        text.append(String.format(Locale.ROOT, "STRICT rejects %s of the candidates, against the paper's 18 %% "
                + "(weekly) and 3 %% (dual) invalid updates. %s of all candidates are not better on MAE at all "
                + "(%s), and the paper's own rule would reject %s. ", Phrases.range(strict, MarkdownTable::percent),
                Phrases.range(notBetter, MarkdownTable::percent), meanNotBetter < meanStrict / 2
                        ? "so most rejected ones are better, only not by enough"
                        : "so most rejected ones are worse or equal",
                Phrases.range(paperStyle, MarkdownTable::percent)));
        double meanOverlap = Arrays.stream(overlap).average().orElse(Double.NaN);
        text.append(String.format(Locale.ROOT, "The median |MAE change| of a candidate against its champion is "
                + "%s, %s of the candidates are within STRICT's 1 %% margin, and a candidate's window overlaps its "
                + "champion's by %s on average%s; %s. ", Phrases.range(median, MarkdownTable::percent),
                Phrases.range(within, MarkdownTable::percent), Phrases.range(overlap, MarkdownTable::percent),
                meanOverlap > 0.5 ? " — consecutive models are trained on mostly the same weeks" : "",
                meanNotBetter > 0.35 && meanNotBetter < 0.65
                        ? "a new model is about as often slightly worse as slightly better, and a margin rule "
                                + "keeps the champion"
                        : MarkdownTable.percent(meanNotBetter) + " of new models are not better on average"));
        double meanTies = outcomes.stream().mapToDouble(o -> o.share(Judgement::tie)).average()
                .orElse(Double.NaN);
        int testRows = (int) outcomes.stream().flatMap(o -> o.judgements().stream())
                .mapToInt(Judgement::testRows).average().orElse(0);
        text.append(String.format(Locale.ROOT, "%s of the comparisons are ties — the difference is within two "
                        + "standard errors on a test part of about %d rows%s. ",
                Phrases.range(outcomes.stream().mapToDouble(o -> o.share(Judgement::tie)).toArray(),
                        MarkdownTable::percent), testRows,
                meanTies > 0.5 ? ", so for most candidates any rule that asks for \"better\" decides on noise, "
                        + "and a margin rule rejects them" : ""));
        text.append(lowestPaperStyle > 2 * 0.03
                ? String.format(Locale.ROOT, "Under the paper-style definition the rate is still %.0f× or more the "
                        + "paper's 3 %%: this is not reproduced here, and the information at hand does not say how "
                        + "the paper's models gained so reliably from each retraining. ", lowestPaperStyle / 0.03)
                : "Under the paper-style definition the rate comes close to the paper's 3 %. ");
        double ratio = defaultDual.delayHours() / defaultDual.cyclesPerAcceptedHours();
        text.append(String.format(Locale.ROOT, "The update delay is %s h (paper: 12.5 h weekly, 9.6 h dual). A "
                        + "warranted update waits for a candidate the rule accepts; at θ = %.2f, 1 / (1 − rejection "
                        + "share) cycles are %.0f h against the measured %.0f h%s.",
                Phrases.range(measuredDelay, d -> Phrases.number("%.0f", d)), defaultDual.policy().trigger().theta(),
                defaultDual.cyclesPerAcceptedHours(), defaultDual.delayHours(),
                ratio > 0.5 && ratio < 2 && defaultDual.share(j -> !j.strictAccepts()) > 0.5
                        ? " — the same order: most of the wait is cycles whose candidate did not replace the champion"
                        : ""));
        section.reading(text.toString());

        section.difference(String.format(Locale.ROOT, "**Trigger cycle** — dual (θ = %.2f) every %.1f days vs "
                + "weekly %.1f (paper 5.4 vs 7): %s.", defaultDual.policy().trigger().theta(),
                defaultDual.cycleDays(), weekly.cycleDays(), defaultDual.cycleDays() < weekly.cycleDays()
                        ? "the dual trigger shortens the cycle, as in the paper"
                        : "the dual trigger does not shorten the cycle here, unlike the paper"));
        section.difference(String.format(Locale.ROOT, "**Invalid updates** — %s (dual θ = %.2f: STRICT rejects %s; "
                + "not better on MAE %s; the paper's rule rejects %s) vs the paper's 3 %%%s (median |MAE change| "
                + "%s, ties within two standard errors %s, window overlap %s).",
                Phrases.verdict(defaultDual.share(j -> !j.paperAccepts()), 0.03, true),
                defaultDual.policy().trigger().theta(),
                MarkdownTable.percent(defaultDual.share(j -> !j.strictAccepts())),
                MarkdownTable.percent(defaultDual.share(Judgement::notBetter)),
                MarkdownTable.percent(defaultDual.share(j -> !j.paperAccepts())),
                defaultDual.medianAbsoluteMaeChange() < 2 * ReplacementPolicy.strict().maeMargin()
                        ? ": candidates trained on a sliding window are close to their champions" : "",
                MarkdownTable.percent(defaultDual.medianAbsoluteMaeChange()),
                MarkdownTable.percent(defaultDual.share(Judgement::tie)),
                MarkdownTable.percent(defaultDual.meanOverlap())));
        section.difference(String.format(Locale.ROOT, "**Update delay** — %s: %.0f h (dual θ = %.2f) vs the "
                + "paper's 9.6 h, because rejected candidates keep a warranted update waiting for later cycles; the "
                + "machine's part of it is seconds (see *Time from trigger to new champion serving*).",
                Phrases.verdict(defaultDual.delayHours(), 9.6, true), defaultDual.delayHours(),
                defaultDual.policy().trigger().theta()));
    }

    static Outcome replay(ExperimentConfig config, LoadData data, Policy policy) throws Exception {
        var trigger = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RetrainTrigger(policy.trigger())), (PartitionCommitted p) -> MODEL,
                RetrainCommand::modelName, Types.STRING);
        trigger.open();
        KeyedTwoInputStreamOperatorTestHarness<String, FeatureRow, DriftReference, Alarm> drift =
                null;
        if (policy.drift()) {
            drift = new KeyedTwoInputStreamOperatorTestHarness<>(
                    new KeyedCoProcessOperator<>(new DriftMonitor(DriftMonitor.Config.fromSettings(
                            new Settings(Map.of("model.name", MODEL))))),
                    FeatureRow::meterId, DriftReference::meterId, Types.STRING);
            drift.open();
        }
        Dataset all = data.dataset();
        long window = config.triggerWindowWeeks() * LoadData.WEEK_MS;
        List<Champion> champions = new ArrayList<>();
        List<Long> requestTimes = new ArrayList<>();
        Map<RetrainReason, Integer> byReason = new EnumMap<>(RetrainReason.class);
        List<Judgement> judgements = new ArrayList<>();
        int consumed = 0;
        int driftConsumed = 0;
        long warrantedAt = NONE;
        StreamingStatistics delays = new StreamingStatistics();
        List<FeatureRow> rows = data.rows();
        int rowIndex = 0;
        long firstDay = Math.floorDiv(data.start(), LoadData.DAY_MS) * LoadData.DAY_MS;
        Map<Long, Long> rowsPerDay = rows.stream().collect(java.util.stream.Collectors.groupingBy(
                r -> Math.floorDiv(r.windowStart(), LoadData.DAY_MS) * LoadData.DAY_MS,
                java.util.stream.Collectors.counting()));
        for (long day = firstDay; day < data.end(); day += LoadData.DAY_MS) {
            for (long hour = day + HOUR_MS; hour <= day + LoadData.DAY_MS; hour += HOUR_MS) {
                if (drift != null) {
                    while (rowIndex < rows.size() && rows.get(rowIndex).windowEnd() <= hour) {
                        FeatureRow row = rows.get(rowIndex++);
                        drift.processElement1(new StreamRecord<>(row, row.windowEnd() - 1));
                    }
                    var driftRequests = drift.getSideOutput(DriftMonitor.RETRAIN_REQUESTS);
                    int size = driftRequests == null ? 0 : driftRequests.size();
                    for (var record : new ArrayList<>(driftRequests == null ? List.<StreamRecord<RetrainRequest>>of()
                            : driftRequests).subList(driftConsumed, size)) {
                        // as the streaming job's retrain-commands round trip delivers it: DRIFT, within the interval
                        trigger.processElement2(new StreamRecord<>(new RetrainCommand(MODEL, "drift-monitor",
                                record.getValue().requestedAt(), RetrainReason.DRIFT), hour - 1));
                    }
                    driftConsumed = size;
                }
                trigger.processWatermark1(new Watermark(hour));
                trigger.processWatermark2(new Watermark(hour));
                if (hour == day + LoadData.DAY_MS) {
                    long rowsOfDay = rowsPerDay.getOrDefault(day, 0L);
                    PartitionCommitted partition = new PartitionCommitted("dt=" + Instant.ofEpochMilli(day)
                            .toString().substring(0, 10), day, hour, rowsOfDay, "file:///replay/_MANIFEST.json");
                    trigger.processElement1(new StreamRecord<>(partition, hour - 1));
                }
                List<RetrainRequest> out = trigger.extractOutputValues();
                for (RetrainRequest request : out.subList(consumed, out.size())) {
                    requestTimes.add(request.requestedAt());
                    byReason.merge(request.reason(), 1, Integer::sum);
                    Retraining.Candidate candidate = Retraining.train(all,
                            Math.max(request.dataTo() - window, data.start()), request.dataTo(), 0, 0);
                    Champion current = champions.isEmpty() ? null : champions.get(champions.size() - 1);
                    Evaluation evaluation = Evaluation.of(candidate.model(), current == null ? null : current.model,
                            candidate.split().test(), ReplacementPolicy.strict());
                    if (current != null) {
                        judgements.add(judge(evaluation, candidate, current));
                    }
                    if (!evaluation.decision().replace()) {
                        continue;
                    }
                    long servingFrom = request.requestedAt() + Math.round(candidate.fitSeconds() * 1000);
                    champions.add(new Champion(candidate.model(), servingFrom, evaluation.candidate().mae(),
                            candidate.dataFrom(), candidate.dataTo()));
                    if (warrantedAt != NONE) {
                        delays.addValue((servingFrom - warrantedAt) / (double) HOUR_MS);
                        warrantedAt = NONE;
                    }
                    if (drift != null) {
                        publishReference(drift, rows, candidate, champions.size());
                    }
                }
                consumed = out.size();
            }
            long dayEnd = day + LoadData.DAY_MS;
            if (!champions.isEmpty() && warrantedAt == NONE) {
                Champion serving = champions.get(champions.size() - 1);
                Dataset today = all.window(Math.max(day, serving.servingFrom), dayEnd);
                if (today.size() >= 24 && Metrics.of(serving.model, today).mae()
                        > (1 + config.triggerDegradationMargin()) * serving.referenceMae) {
                    warrantedAt = dayEnd;
                }
            }
        }
        trigger.close();
        if (drift != null) {
            drift.close();
        }
        double cycle = requestTimes.size() < 2 ? Double.NaN
                : (requestTimes.get(requestTimes.size() - 1) - requestTimes.get(0))
                        / (double) (requestTimes.size() - 1) / LoadData.DAY_MS;
        return new Outcome(policy, requestTimes.size(), byReason, cycle, judgements,
                delays.getN() == 0 ? Double.NaN : delays.getMean(), (int) delays.getN(), warrantedAt == NONE ? 0 : 1);
    }

    private static Judgement judge(Evaluation evaluation, Retraining.Candidate candidate, Champion champion) {
        ReplacementDecision strict = evaluation.decision();
        boolean paper = new ReplacementPolicy(ReplacementRule.PAPER, 0, 0)
                .decide(evaluation.candidate(), evaluation.champion()).replace();
        long shared = Math.max(0, Math.min(candidate.dataTo(), champion.dataTo)
                - Math.max(candidate.dataFrom(), champion.dataFrom));
        Dataset test = candidate.split().test();
        return new Judgement(strict.change().improvement(Metric.MAE), strict.replace(), paper,
                shared / (double) (candidate.dataTo() - candidate.dataFrom()), tie(test, candidate.model(),
                champion.model), test.size());
    }

    /**
     * Whether the two models' MAE on {@code test} differ by less than {@value #TIE_STANDARD_ERRORS} standard errors
     * of the mean paired difference of their absolute errors (taken as independent; they are not, so the true
     * uncertainty is larger and this finds too few ties, not too many).
     */
    private static boolean tie(Dataset test, Model candidate, Model champion) {
        double[] newForecasts = candidate.predictAll(test.features());
        double[] oldForecasts = champion.predictAll(test.features());
        StreamingStatistics differences = new StreamingStatistics();
        for (int i = 0; i < test.size(); i++) {
            differences.addValue(Math.abs(test.targets()[i] - oldForecasts[i])
                    - Math.abs(test.targets()[i] - newForecasts[i]));
        }
        double standardError = differences.getStandardDeviation() / Math.sqrt(differences.getN());
        return Math.abs(differences.getMean()) < TIE_STANDARD_ERRORS * standardError;
    }

    /** The standardized values of the new champion's training rows, as the retraining job publishes them. */
    private static void publishReference(
            KeyedTwoInputStreamOperatorTestHarness<String, FeatureRow, DriftReference, Alarm> drift,
            List<FeatureRow> rows, Retraining.Candidate candidate, int version) throws Exception {
        Dataset train = candidate.split().train();
        long from = train.targetTimes()[0];
        long to = train.targetTimes()[train.size() - 1];
        double[] values = rows.stream().filter(r -> r.windowStart() >= from && r.windowStart() <= to && !r.warmUp())
                .mapToDouble(FeatureRow::standardized).toArray();
        int step = Math.max(1, values.length / REFERENCE_SAMPLE);
        double[] sample = java.util.stream.IntStream.range(0, values.length / step)
                .mapToDouble(i -> values[i * step]).sorted().toArray();
        if (sample.length < 2) {
            return;
        }
        drift.processElement2(new StreamRecord<>(new DriftReference(rows.get(0).meterId(), "standardized", sample,
                MODEL, version, to), to));
    }
}
