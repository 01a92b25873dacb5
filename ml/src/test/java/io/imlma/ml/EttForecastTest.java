package io.imlma.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.FeatureRow;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.data.Dataset;
import io.imlma.ml.data.EttCsv;
import io.imlma.ml.data.FeatureBuilder;
import io.imlma.ml.data.FeatureSpec;
import io.imlma.ml.eval.Evaluation;
import io.imlma.ml.eval.Metric;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.model.LinearRegression;
import io.imlma.ml.model.Model;
import io.imlma.ml.model.ModelCodec;
import io.imlma.ml.tune.BayesianOptimizer;
import io.imlma.ml.tune.ForecastObjective;
import io.imlma.ml.tune.TuningBudget;
import io.imlma.ml.tune.TuningDriver;
import io.imlma.ml.tune.TuningResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Five weeks of the real HUFL load channel: a BO-tuned linear model against the naive forecasts. At 15 minutes
 * this series is close to a random walk; the tuned model beats last value on the validation window it was tuned
 * on and the seasonal forecast on the test window, but not last value on this slice's (quieter) test window.
 */
class EttForecastTest {

    @Test
    void tunedModelBeatsTheNaiveBaselinesOnTestMae() throws Exception {
        List<FeatureRow> rows = EttCsv.read(BundledData.ettm1(), "HUFL", 0, 96 * 7 * 5);
        Dataset.Split split = new FeatureBuilder(FeatureSpec.defaults()).build(rows).split();
        LinearRegression factory = new LinearRegression();

        TuningResult tuning = TuningDriver.run(
                new BayesianOptimizer(factory.searchSpace(), 1),
                new ForecastObjective(factory, split.train(), split.validation(), Metric.MAE),
                new TuningBudget(12, 3, 0, 7));
        Model tuned = factory.create(tuning.best().parameters(), 7).fit(split.train(), split.validation());
        Evaluation evaluation = Evaluation.of(tuned, null, split.test(), ReplacementPolicy.strict());

        assertThat(tuning.trials()).hasSize(12);
        assertThat(evaluation.candidate().mae())
                .as("tuned %s vs seasonal %s", evaluation.candidate(), evaluation.seasonalValue())
                .isLessThan(0.5 * evaluation.seasonalValue().mae());
        double lastValueValidationMae = io.imlma.ml.eval.Metrics.of(
                split.validation().targets(), split.validation().lastValues()).mae();
        assertThat(tuning.best().validationMae()).isLessThan(lastValueValidationMae);
        assertThat(evaluation.decision().replace()).isTrue();
        Model reloaded = ModelCodec.fromBytes(ModelCodec.toBytes(tuned));
        assertThat(reloaded.predictAll(split.test().features()))
                .containsExactly(tuned.predictAll(split.test().features()));
    }
}
