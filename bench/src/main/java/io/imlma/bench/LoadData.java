package io.imlma.bench;

import io.imlma.common.types.FeatureRow;
import io.imlma.ml.data.Dataset;
import io.imlma.ml.data.EttCsv;
import io.imlma.ml.data.FeatureBuilder;
import io.imlma.ml.data.FeatureSpec;
import java.io.IOException;
import java.util.List;

/**
 * One channel of the input as the streaming job's feature rows and as the supervised data set the retraining job
 * builds from them (96 lags + calendar features, {@link FeatureSpec#defaults()}).
 */
record LoadData(List<FeatureRow> rows, Dataset dataset) {
    static final long DAY_MS = 86_400_000L;
    static final long WEEK_MS = 7 * DAY_MS;

    static LoadData read(ExperimentConfig config) throws IOException {
        List<FeatureRow> rows = EttCsv.read(config.input(), config.channel(), 0, config.maxRows());
        return new LoadData(rows, new FeatureBuilder(FeatureSpec.defaults()).build(rows));
    }

    long start() {
        return rows.get(0).windowStart();
    }

    long end() {
        return rows.get(rows.size() - 1).windowEnd();
    }

    double days() {
        return (end() - start()) / (double) DAY_MS;
    }
}
