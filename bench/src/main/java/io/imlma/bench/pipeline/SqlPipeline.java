package io.imlma.bench.pipeline;

import io.imlma.jobs.pipeline.PipelineConfig;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The preprocessing pipeline as a Flink user would write it in Flink SQL, the peer {@link PipelineBenchmark} runs
 * beside ours on the same readings: parse the JSON ({@code JSON_VALUE}, watermark with the same out-of-orderness),
 * deduplicate by (meter, timestamp) with {@code ROW_NUMBER} (first arrival kept), 15-minute {@code TUMBLE} windows
 * (mean, min, max, count), and the running z-score over a meter's windows with an unbounded {@code OVER} window
 * ({@code AVG}, {@code STDDEV_POP}, as our Welford statistics).
 *
 * <p>What SQL cannot do, so this peer does less than ours:
 * <ul>
 *   <li>Imputation: a window without readings never fires and Flink SQL 1.20 has no row generator (no
 *   {@code generate_series}), so no row is made for an empty interval. As far as SQL goes, the next observed row
 *   carries how many intervals were missing before it ({@code missing_before}, from {@code LAG} over the meter's
 *   windows) and the value ours imputes them with, the running mean before it ({@code imputed_value}). A meter that
 *   stays silent gets nothing until it reports again (ours imputes as the watermark passes).</li>
 *   <li>Bad input: rows that do not parse are filtered, not dead-lettered with a reason; there are no plausibility
 *   checks, no conflict output for a different value at the same timestamp, and late readings are dropped
 *   silently.</li>
 *   <li>Dedup state has no time-to-live: {@code table.exec.state.ttl} would also expire the {@code OVER} window's
 *   running statistics, and the {@code STATE_TTL} hint applies to joins and group aggregations only.</li>
 * </ul>
 *
 * <p>Measured (bench-pipeline, 10,000 meters × 12 intervals, RocksDB, parallelism 1): its cost per record grows with
 * the run (1,100 records per CPU-second at 40 k records, 670 at 122 k) and its checkpoints take over a minute under
 * backpressure; a JFR profile puts the largest share of its task time in the {@code OVER} operator's RocksDB map
 * state (serializing its buffered rows per timestamp), then JSON_VALUE's three parses of every record.
 */
final class SqlPipeline {
    private SqlPipeline() {}

    /** The feature rows of observed intervals, one per (meter, interval) that had a reading. */
    static Table features(StreamTableEnvironment tables, DataStream<String> json, PipelineConfig config) {
        long intervalMs = config.windowSize().toMillis();
        tables.createTemporaryView("raw_readings", tables.fromDataStream(json, Schema.newBuilder()
                .column("f0", DataTypes.STRING())
                .columnByExpression("meter_id", "JSON_VALUE(f0, '$.meterId')")
                .columnByExpression("ts", "TO_TIMESTAMP_LTZ(CAST(JSON_VALUE(f0, '$.timestamp') AS BIGINT), 3)")
                .columnByExpression("reading", "JSON_VALUE(f0, '$.value' RETURNING DOUBLE)")
                .columnByExpression("arrival", "PROCTIME()")
                .watermark("ts", "ts - " + interval(config.outOfOrderness()))
                .build()));
        tables.createTemporaryView("readings", tables.sqlQuery(
                "SELECT meter_id, ts, reading FROM ("
                + " SELECT meter_id, ts, reading,"
                + "  ROW_NUMBER() OVER (PARTITION BY meter_id, ts ORDER BY arrival ASC) AS arrival_rank"
                + " FROM raw_readings WHERE meter_id IS NOT NULL AND reading IS NOT NULL)"
                + " WHERE arrival_rank = 1"));
        tables.createTemporaryView("intervals", tables.sqlQuery(
                "SELECT meter_id, window_start, window_end, window_time, AVG(reading) AS mean,"
                + " MIN(reading) AS min_reading, MAX(reading) AS max_reading, COUNT(*) AS readings"
                + " FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(ts), " + interval(config.windowSize()) + "))"
                + " GROUP BY meter_id, window_start, window_end, window_time"));
        tables.createTemporaryView("scored", tables.sqlQuery(
                "SELECT meter_id, window_start, window_end, mean, min_reading, max_reading, readings,"
                + " AVG(mean) OVER w AS running_mean, STDDEV_POP(mean) OVER w AS running_std,"
                + " COUNT(*) OVER w AS observed, LAG(window_start) OVER w AS previous_start"
                + " FROM intervals"
                // the default frame, RANGE UNBOUNDED PRECEDING (a meter has one row per window_time): LAG takes no
                // explicit frame
                + " WINDOW w AS (PARTITION BY meter_id ORDER BY window_time)"));
        return tables.sqlQuery(
                "SELECT meter_id, window_start, window_end, mean, min_reading, max_reading, readings,"
                + " CASE WHEN running_std > 0 THEN (mean - running_mean) / running_std ELSE 0 END AS z_score,"
                + " observed < " + config.warmUpIntervals() + " AS warm_up,"
                + " CASE WHEN previous_start IS NULL THEN 0"
                + "  ELSE TIMESTAMPDIFF(SECOND, previous_start, window_start) / " + intervalMs / 1000 + " - 1"
                + " END AS missing_before,"
                + " CASE WHEN observed > 1 THEN (running_mean * observed - mean) / (observed - 1) END AS imputed_value"
                + " FROM scored");
    }

    /** A SQL day-time interval literal, to the millisecond. */
    static String interval(Duration d) {
        return String.format(Locale.ROOT, "INTERVAL '%d %02d:%02d:%02d.%03d' DAY TO SECOND(3)", d.toDays(),
                d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart(), d.toMillisPart());
    }
}
