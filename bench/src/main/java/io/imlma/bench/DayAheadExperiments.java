package io.imlma.bench;

import io.imlma.bench.ett.EttBenchmark;
import io.imlma.bench.ett.EttData;
import io.imlma.bench.ett.EttExperiment;
import io.imlma.bench.tuning.DayAheadTuning;
import io.imlma.ml.model.Hyperparameters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The day-ahead task the loop manages (H = 96 intervals), measured two ways: on the published ETT benchmark
 * protocol beside the literature's figures ({@link EttExperiment}), and BO's share of random search's budget on it
 * over seeds ({@link DayAheadTuning}).
 */
final class DayAheadExperiments {
    private DayAheadExperiments() {}

    static Section protocol(ExperimentConfig config, Progress progress) throws Exception {
        EttExperiment.Config d = EttExperiment.Config.defaults();
        EttExperiment.Config ett = new EttExperiment.Config(config.ettTasks(), List.of(96), config.ettLengths(),
                d.calendar(), d.l2Grid(), config.ettMlp(), d.mlpInputLength(), d.mlpParameters());
        List<EttExperiment.Row> rows = EttBenchmark.run(new EttBenchmark.Options(config.input(), ett),
                row -> progress.step("ETT protocol: %s %s MSE %.4f", row.task(), row.method(), row.mse()));
        Section section = new Section("Day-ahead forecasts on the ETT benchmark protocol");
        section.text("""
                The standard protocol of the long-horizon literature on `%s`: the first 12 months train, the next 4 \
                validate, the last 4 test; every channel is z-scored with its training-part mean and deviation; \
                horizon H = 96 (one day of 15-minute intervals); MSE and MAE over **every** test window and every \
                step, in the z-scored units (no partial last batch is dropped, as some published code does). \
                *Univariate* forecasts OT from its own past; *multivariate* forecasts all 7 channels, one \
                channel-independent model shared by them. Every choice of this system's rows (input length L, \
                calendar features, ridge penalty) is made on the validation part; the default trainer is the \
                family with the lowest validation MSE. Published rows: Zeng et al., AAAI 2023 (Linear, NLinear, \
                DLinear); Nie et al., ICLR 2023 (PatchTST/42, repeat-last-value); Zhou et al., AAAI 2021 \
                (Informer).""".formatted(config.input().getFileName()));
        MarkdownTable table = new MarkdownTable("task", "method", "source", "L", "test MSE", "test MAE",
                "validation MSE", "fit s", "choice");
        rows.stream().sorted(Comparator.comparing(EttExperiment.Row::task)).forEach(r -> table.row(r.task(),
                r.method(), r.source(), r.inputLength() > 0 ? String.valueOf(r.inputLength()) : "–", r.mse(), r.mae(),
                r.validationMse(), r.seconds(), r.choice().isEmpty() ? "–" : r.choice()));
        section.table(table);
        List<String> readings = new ArrayList<>();
        standing(rows, EttExperiment.UNIVARIATE, List.of("NLinear", "DLinear")).ifPresent(readings::add);
        standing(rows, EttExperiment.MULTIVARIATE, List.of("DLinear", "PatchTST/42")).ifPresent(readings::add);
        section.reading(String.join(" ", readings));
        section.difference("The paper reports no forecast error on a public benchmark; on ETTm1's standard protocol "
                + String.join(" ", readings));
        return section;
    }

    /** Where the validation-chosen default stands against the named published rows of one task. */
    private static Optional<String> standing(List<EttExperiment.Row> rows, String task, List<String> against) {
        Optional<EttExperiment.Row> chosen = rows.stream().filter(r -> r.task().equals(task)
                && r.method().startsWith("default trainer")).findFirst();
        Optional<EttExperiment.Row> best = rows.stream().filter(r -> r.task().equals(task)
                && r.source().equals(EttExperiment.THIS_SYSTEM) && !r.method().startsWith("default trainer")
                && !r.method().startsWith("persistence") && !r.method().startsWith("seasonal"))
                .min(Comparator.comparingDouble(EttExperiment.Row::mse));
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s, H = 96: the validation-chosen %s has"
                + " test MSE %.4f / MAE %.4f", task, chosen.get().method().replace("default trainer = ", ""),
                chosen.get().mse(), chosen.get().mae()));
        for (String method : against) {
            rows.stream().filter(r -> r.task().equals(task) && r.method().equals(method)
                    && !r.source().equals(EttExperiment.THIS_SYSTEM)).findFirst().ifPresent(p -> text.append(
                            String.format(Locale.ROOT, "; %s (published) %.3f / %.3f, %s by %.1f %% in MSE", method,
                                    p.mse(), p.mae(), chosen.get().mse() <= p.mse() ? "below it" : "above it",
                                    100 * Math.abs(chosen.get().mse() - p.mse()) / p.mse())));
        }
        best.filter(b -> b.mse() < chosen.get().mse()).ifPresent(b -> text.append(String.format(Locale.ROOT,
                "; this system's best row on the test part is %s (%.4f / %.4f), not chosen because its validation"
                        + " MSE was higher", b.method(), b.mse(), b.mae())));
        return Optional.of(text.append('.').toString());
    }

    static Section tuning(ExperimentConfig config, Progress progress) throws Exception {
        DayAheadTuning.Config d = DayAheadTuning.Config.defaults();
        Map<String, Double> fixed = new HashMap<>(d.fixed().values());
        DayAheadTuning.Config tuning = new DayAheadTuning.Config(config.dayAheadWeeks(), d.inputLength(),
                config.dayAheadTrainWindows(), config.dayAheadValidationWindows(), config.dayAheadBudget(),
                config.dayAheadSeeds(), d.tuned(), Hyperparameters.of(fixed));
        DayAheadTuning.Result result = DayAheadTuning.run(EttData.read(config.input()), tuning, seed -> progress.step(
                "day-ahead tuning seed %d: random %.4f, BO %.4f, BO reached it after %s trials", seed.seed(),
                seed.randomBest(), seed.bayesBest(), seed.reached() ? seed.trialsToReach() : "more than "
                        + tuning.budget()));
        Section section = new Section("Day-ahead tuning: Bayesian optimization vs random search");
        section.text("""
                The loop's day-ahead task: every channel of the first %d weeks a meter, one channel-independent MLP \
                (H = 96 from L = %d, per-window normalization), the loop's 70/15/15 split per meter, validation MAE \
                the loss. The search space is the paper's (learning rate, L2 regularization, batch size) plus the \
                network's width and depth (%s). Per seed, random search and BO (GP-EI) get the same budget of %d \
                trials and the same training seed, so trials differ only in their hyperparameters; each trial fits \
                on the same seeded sample of %d training windows and is scored on %d validation windows. *Share* = \
                trials BO needed to reach random search's final best ÷ the budget (100 %% when it did not).""".formatted(
                tuning.weeks(), tuning.inputLength(), String.join(", ", tuning.tuned()), tuning.budget(),
                tuning.trainWindows(), tuning.validationWindows()));
        MarkdownTable table = new MarkdownTable("seed", "random best", "BO best", "BO trials to random's best",
                "share", "random s", "BO s");
        for (DayAheadTuning.SeedResult seed : result.seeds()) {
            table.row(String.valueOf(seed.seed()), seed.randomBest(), seed.bayesBest(),
                    seed.reached() ? String.valueOf(seed.trialsToReach()) : "> " + tuning.budget(),
                    MarkdownTable.percent(seed.share(tuning.budget())), seed.randomSeconds(), seed.bayesSeconds());
        }
        section.table(table);
        String reading = String.format(Locale.ROOT, "Over %d seeds BO needed a mean %s (median %s) of random search's"
                + " budget to reach random search's final best, and reached it on %d of them; the goal is at most"
                + " 35 %%, the paper reports about 43 %% — %s.", result.seeds().size(),
                MarkdownTable.percent(result.meanShare()), MarkdownTable.percent(result.medianShare()),
                result.reached(), result.meanShare() <= 0.35 ? "met" : "missed");
        section.reading(reading + (config.full() ? "" : " Quick mode: too few seeds and trials to judge."));
        section.difference("Day-ahead tuning: " + reading);
        return section;
    }
}
