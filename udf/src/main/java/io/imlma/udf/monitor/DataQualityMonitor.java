package io.imlma.udf.monitor;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.QualityCounts;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Watches input quality per interval of {@link QualityCounts} (keyed by scope, e.g. the whole pipeline): the
 * dead-letter rate (rejected / (rejected + readings)), the imputed rate (imputed rows / rows) and the late rate
 * (late / (late + readings)), each raising a DATA_QUALITY alarm through {@link Hysteresis} above its threshold.
 * Intervals with fewer than {@code minRecords} behind a rate are not judged on it: a rate of 1 of 2 says little.
 */
public class DataQualityMonitor extends KeyedProcessFunction<String, QualityCounts, Alarm> {
    private static final long serialVersionUID = 1L;

    enum Rate {
        DEAD_LETTER(MonitorMetrics.DEAD_LETTER_RATE, c -> c.deadLetters(), c -> c.deadLetters() + c.readings()),
        IMPUTED(MonitorMetrics.IMPUTED_RATE, c -> c.imputedRows(), c -> c.featureRows()),
        LATE(MonitorMetrics.LATE_RATE, c -> c.lateReadings(), c -> c.lateReadings() + c.readings());

        final String metric;
        final ToDoubleFunction<QualityCounts> part;
        final ToDoubleFunction<QualityCounts> whole;

        Rate(String metric, ToDoubleFunction<QualityCounts> part, ToDoubleFunction<QualityCounts> whole) {
            this.metric = metric;
            this.part = part;
            this.whole = whole;
        }
    }

    public static final Option<Double> DEAD_LETTER_RATE = rate("monitor.quality.dead-letter-rate", 0.01,
            "Alarm when more of an interval's records than this are dead letters.");
    public static final Option<Double> IMPUTED_RATE = rate("monitor.quality.imputed-rate", 0.10,
            "Alarm when more of an interval's feature rows than this are imputed.");
    public static final Option<Double> LATE_RATE = rate("monitor.quality.late-rate", 0.01,
            "Alarm when more of an interval's readings than this arrive too late.");
    public static final Option<Long> MIN_RECORDS = Option.longValue("monitor.quality.min-records").defaultValue(20L)
            .check(n -> n >= 1, "must be at least 1").description("Intervals with fewer records are not evaluated.");
    public static final Option<Duration> INTERVAL = Option.duration("monitor.quality.interval")
            .defaultValue(Duration.ofMinutes(5)).check(d -> !d.isNegative() && !d.isZero(), "must be positive")
            .description("The rates' interval (processing time: dead letters carry only their rejection's time).");
    public static final List<Option<?>> OPTIONS = List.of(DEAD_LETTER_RATE, IMPUTED_RATE, LATE_RATE, MIN_RECORDS,
            INTERVAL);

    private static Option<Double> rate(String key, double defaultRate, String description) {
        return Option.decimal(key).defaultValue(defaultRate).check(r -> r > 0 && r < 1, "must be in (0, 1)")
                .description(description);
    }

    public record Config(double deadLetterRate, double imputedRate, double lateRate, long minRecords,
                         Hysteresis hysteresis) implements Serializable {
        public static Config fromSettings(Settings s) {
            return new Config(DEAD_LETTER_RATE.value(s), IMPUTED_RATE.value(s), LATE_RATE.value(s),
                    MIN_RECORDS.value(s), Hysteresis.fromSettings(s, "monitor.quality", 2));
        }

        double threshold(Rate rate) {
            return switch (rate) {
                case DEAD_LETTER -> deadLetterRate;
                case IMPUTED -> imputedRate;
                case LATE -> lateRate;
            };
        }
    }

    private final Config config;
    private final AlarmGate gate;
    private transient MapState<String, HysteresisState> conditions;
    private transient double[] lastRates;

    public DataQualityMonitor(Config config) {
        this.config = config;
        this.gate = new AlarmGate(AlarmType.DATA_QUALITY, config.hysteresis());
    }

    @Override
    public void open(Configuration parameters) {
        conditions = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("quality", Types.STRING, Types.POJO(HysteresisState.class)));
        gate.open(getRuntimeContext().getMetricGroup());
        lastRates = new double[Rate.values().length];
        for (Rate rate : Rate.values()) {
            getRuntimeContext().getMetricGroup().gauge(rate.metric, (Gauge<Double>) () -> lastRates[rate.ordinal()]);
        }
    }

    @Override
    public void processElement(QualityCounts counts, Context ctx, Collector<Alarm> out) throws Exception {
        String scope = ctx.getCurrentKey();
        for (Rate rate : Rate.values()) {
            double whole = rate.whole.applyAsDouble(counts);
            if (whole < config.minRecords()) {
                continue;
            }
            double value = rate.part.applyAsDouble(counts) / whole;
            lastRates[rate.ordinal()] = value;
            String name = rate.name().toLowerCase().replace('_', '-');
            String describe = String.format("%s rate %.2f %% over %.0f records in [%d, %d), limit %.2f %%", name,
                    100 * value, whole, counts.windowStart(), counts.windowEnd(), 100 * config.threshold(rate));
            Hysteresis.Step step = gate.evaluate(conditions.get(rate.name()), scope + '|' + rate.name(), null, 0,
                    value, config.threshold(rate), counts.windowEnd(), describe, out::collect);
            conditions.put(rate.name(), step.state());
        }
    }
}
