package io.imlma.udf.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.MeterReading;
import org.junit.jupiter.api.Test;

class MeanMinMaxAggregateTest {
    @Test
    void addsAndMerges() {
        MeanMinMaxAggregate agg = new MeanMinMaxAggregate();
        var left = agg.add(new MeterReading("m", 0, 2.0, 10), agg.createAccumulator());
        left = agg.add(new MeterReading("m", 1, -4.0, 30), left);
        var right = agg.add(new MeterReading("m", 2, 8.0, 20), agg.createAccumulator());

        var merged = agg.getResult(agg.merge(left, right));
        assertThat(merged.count).isEqualTo(3);
        assertThat(merged.mean()).isEqualTo(2.0);
        assertThat(merged.min).isEqualTo(-4.0);
        assertThat(merged.max).isEqualTo(8.0);
        assertThat(merged.maxIngestTime).isEqualTo(30);
    }
}
