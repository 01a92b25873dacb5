package io.imlma.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReplacementPolicyTest {
    private static final Metrics CHAMPION = new Metrics(100, 1.00, 0.500, 0.80);
    private static final ReplacementPolicy PAPER = new ReplacementPolicy(ReplacementRule.PAPER, 0.01, 0.02);
    private static final ReplacementPolicy STRICT = ReplacementPolicy.strict();
    private static final ReplacementPolicy MSE_ONLY =
            new ReplacementPolicy(ReplacementRule.SINGLE_METRIC_MSE, 0.01, 0.02);

    @ParameterizedTest
    @EnumSource(ReplacementRule.class)
    void replacesWhenThereIsNoChampion(ReplacementRule rule) {
        ReplacementDecision decision = new ReplacementPolicy(rule, 0.01, 0.02)
                .decide(new Metrics(100, 9, 9, -1), null);

        assertThat(decision.replace()).isTrue();
        assertThat(decision.change()).isNull();
        assertThat(decision.reasons()).containsExactly("no champion yet");
    }

    @ParameterizedTest
    @EnumSource(ReplacementRule.class)
    void doesNotReplaceOnATie(ReplacementRule rule) {
        ReplacementDecision decision = new ReplacementPolicy(rule, 0.0, 0.02).decide(CHAMPION, CHAMPION);

        assertThat(decision.replace()).isFalse();
        assertThat(decision.reasons()).isNotEmpty();
    }

    @Test
    void paperRuleReplacesWhenEitherMaeOrR2IsBetter() {
        Metrics betterMaeOnly = new Metrics(100, 1.5, 0.49, 0.70);
        Metrics betterR2Only = new Metrics(100, 1.5, 0.60, 0.81);
        Metrics worseBoth = new Metrics(100, 0.9, 0.51, 0.79);

        assertThat(PAPER.decide(betterMaeOnly, CHAMPION).replace()).isTrue();
        assertThat(PAPER.decide(betterR2Only, CHAMPION).replace()).isTrue();
        assertThat(PAPER.decide(worseBoth, CHAMPION).replace()).isFalse();
        assertThat(PAPER.decide(betterMaeOnly, CHAMPION).reasons())
                .anyMatch(r -> r.startsWith("MAE better"))
                .anyMatch(r -> r.startsWith("R² not better"));
    }

    @Test
    void strictRuleNeedsTheMaeMarginAndNoMetricWorseBeyondTolerance() {
        Metrics clearWin = new Metrics(100, 1.01, 0.475, 0.79); // MAE -5 %, MSE +1 %, R² -0.01
        Metrics tooSmallGain = new Metrics(100, 0.90, 0.498, 0.85); // MAE -0.4 %
        Metrics mseMuchWorse = new Metrics(100, 1.10, 0.450, 0.80); // MSE +10 %
        Metrics r2MuchWorse = new Metrics(100, 1.00, 0.450, 0.75); // R² -0.05

        ReplacementDecision win = STRICT.decide(clearWin, CHAMPION);
        assertThat(win.replace()).isTrue();
        assertThat(win.reasons()).hasSize(3).allMatch(r -> !r.contains("beyond"));
        assertThat(STRICT.decide(tooSmallGain, CHAMPION).replace()).isFalse();
        assertThat(STRICT.decide(mseMuchWorse, CHAMPION).replace()).isFalse();
        assertThat(STRICT.decide(mseMuchWorse, CHAMPION).reasons()).anyMatch(r -> r.contains("MSE")
                && r.contains("worse beyond tolerance"));
        assertThat(STRICT.decide(r2MuchWorse, CHAMPION).replace()).isFalse();
        assertThat(STRICT.decide(r2MuchWorse, CHAMPION).reasons()).anyMatch(r -> r.contains("drops beyond"));
    }

    @Test
    void singleMetricRuleLooksOnlyAtMse() {
        assertThat(MSE_ONLY.decide(new Metrics(100, 0.99, 0.9, 0.1), CHAMPION).replace()).isTrue();
        assertThat(MSE_ONLY.decide(new Metrics(100, 1.01, 0.1, 0.99), CHAMPION).replace()).isFalse();
    }

    @Test
    void decisionCarriesTheRelativeChanges() {
        ReplacementDecision decision = PAPER.decide(new Metrics(100, 0.5, 0.25, 0.9), CHAMPION);

        assertThat(decision.change().relative(Metric.MAE)).isEqualTo(-0.5);
        assertThat(decision.change().relativeChanges()).containsEntry(Metric.MSE, -0.5);
    }

    @Test
    void readsItsSettingsAndNamesABadOne() {
        ReplacementPolicy policy = ReplacementPolicy.from(new Settings(Map.of(
                "replacement.rule", "PAPER", "replacement.mae-margin", "0.05")));
        assertThat(policy).isEqualTo(new ReplacementPolicy(ReplacementRule.PAPER, 0.05, 0.02));
        assertThat(ReplacementPolicy.from(new Settings(Map.of())).rule()).isEqualTo(ReplacementRule.STRICT);

        assertThatThrownBy(() -> ReplacementPolicy.from(new Settings(Map.of("replacement.rule", "BEST_GUESS"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("replacement.rule");
        assertThatThrownBy(() -> ReplacementPolicy.from(new Settings(Map.of("replacement.tolerance", "-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("replacement.tolerance");
    }
}
