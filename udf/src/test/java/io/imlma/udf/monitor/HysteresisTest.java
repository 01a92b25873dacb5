package io.imlma.udf.monitor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HysteresisTest {
    private final Hysteresis hysteresis = new Hysteresis(3, 2, 0.1, Duration.ofMillis(100));

    private List<Hysteresis.Transition> run(double[] values) {
        List<Hysteresis.Transition> transitions = new ArrayList<>();
        HysteresisState state = HysteresisState.INITIAL;
        for (int t = 0; t < values.length; t++) {
            Hysteresis.Step step = hysteresis.evaluate(state, values[t], 1.0, t * 10L);
            state = step.state();
            if (step.transition() != Hysteresis.Transition.NONE) {
                transitions.add(step.transition());
            }
        }
        return transitions;
    }

    @Test
    void persistentConditionRaisesOnceAfterMEvaluationsAndRenotifiesAtMostEveryT() {
        double[] values = new double[30];
        java.util.Arrays.fill(values, 2.0);
        // raised at t=20 (3rd breach), re-notified at 120 and 220: every 100 ms, not every evaluation
        assertThat(run(values)).containsExactly(
                Hysteresis.Transition.RAISE, Hysteresis.Transition.RENOTIFY, Hysteresis.Transition.RENOTIFY);
    }

    @Test
    void flappingConditionDoesNotFlood() {
        double[] values = new double[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? 2.0 : 0.5;
        }
        // never three breaches in a row
        assertThat(run(values)).isEmpty();

        double[] hovering = new double[200];
        for (int i = 0; i < hovering.length; i++) {
            // raised by the first 3, then hovering between the clearing level 0.9 and the threshold: stays open
            hovering[i] = i < 3 ? 2.0 : (i % 2 == 0 ? 1.05 : 0.95);
        }
        List<Hysteresis.Transition> transitions = run(hovering);
        assertThat(transitions).startsWith(Hysteresis.Transition.RAISE).doesNotContain(Hysteresis.Transition.CLEAR);
        assertThat(transitions).hasSizeLessThanOrEqualTo(1 + 200 * 10 / 100);
    }

    @Test
    void clearsOnlyAfterKCalmEvaluationsBelowTheMargin() {
        double[] values = {2, 2, 2, 0.95, 0.95, 0.95, 0.5, 2, 0.5, 0.5};
        // 0.95 is below the threshold but above the clearing level 0.9; one calm value, then a breach, then two
        assertThat(run(values)).containsExactly(Hysteresis.Transition.RAISE, Hysteresis.Transition.CLEAR);
    }

    @Test
    void alarmIdsAreDeterministicPerCondition() {
        assertThat(Hysteresis.alarmId("STABILITY", "m1|delta", 1000))
                .isEqualTo(Hysteresis.alarmId("STABILITY", "m1|delta", 1000))
                .isNotEqualTo(Hysteresis.alarmId("STABILITY", "m2|delta", 1000))
                .isNotEqualTo(Hysteresis.alarmId("STABILITY", "m1|delta", 2000));
    }
}
