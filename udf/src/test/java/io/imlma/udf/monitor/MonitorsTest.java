package io.imlma.udf.monitor;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The wired monitors on a MiniCluster: a slow, drifting meter produces latency and drift alarms and a retrain request. */
class MonitorsTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void attachProducesAlarmsAndDriftRetrainRequests() throws Exception {
        Random random = new Random(11);
        List<Prediction> predictions = new ArrayList<>();
        List<FeatureRow> rows = new ArrayList<>();
        for (long i = 0; i < 96 * 12; i++) {
            long t = i * 900_000L;
            // the scorer takes 5 s per row on the last days (ingested 100 ms before it got the row)
            long scoring = i > 96 * 8 ? 5_000 : 10;
            predictions.add(new Prediction("m1", t, 900_000L, new double[] {10 + Math.sin(i / 15.0)}, "load", 1, t + 100 + scoring, t, t,
                    t + 100));
            double z = (i > 96 * 8 ? 1.0 : 0) + random.nextGaussian();
            rows.add(new FeatureRow("m1", t, t + 900_000L, z, z, z, 15, z, false, false, t));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<FeatureRow> features = env.fromData(rows);
        // empty streams derived from the rows: empty collection sources fail in Flink 1.20
        DataStream<DeadLetter> deadLetters = features.flatMap(
                (FeatureRow r, Collector<DeadLetter> none) -> { }, TypeInformation.of(DeadLetter.class));
        DataStream<MeterReading> late = features.flatMap(
                (FeatureRow r, Collector<MeterReading> none) -> { }, TypeInformation.of(MeterReading.class));
        // the champion's training data: the unshifted level; tested on arrival too, so its timing does not matter
        double[] training = new double[480];
        for (int i = 0; i < training.length; i++) {
            training[i] = random.nextGaussian();
        }
        Arrays.sort(training);
        DataStream<DriftReference> references = env.fromData(
                new DriftReference("m1", "standardized", training, "load", 1, 0L));
        Monitors.Streams streams = Monitors.attach(env.fromData(predictions), features, deadLetters, late,
                references, new Settings(Map.of("monitor.drift.raise-after", "1", "monitor.drift.window", "96")));
        DataStream<String> out = streams.alarms().map(Alarm::type).map(Enum::name)
                .union(streams.driftRetrainRequests().map(RetrainRequest::reason).map(r -> "REQUEST_" + r.name()));
        List<String> seen = new ArrayList<>();
        try (CloseableIterator<String> it = out.executeAndCollect("monitors")) {
            it.forEachRemaining(seen::add);
        }
        assertThat(seen).contains(AlarmType.LATENCY.name(), AlarmType.DRIFT.name(), "REQUEST_" + RetrainReason.DRIFT.name())
                .doesNotContain(AlarmType.STABILITY.name());
    }
}
