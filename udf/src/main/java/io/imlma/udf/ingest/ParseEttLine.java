package io.imlma.udf.ingest;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns one line of an ETT-format CSV ({@code date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT}, dates in UTC such as
 * {@code 2016-07-01 00:00:00}) into seven readings, meter {@code <dataset>/<channel>}. The header line is skipped;
 * malformed lines go to {@link SideOutputs#DEAD_LETTERS}.
 */
public class ParseEttLine extends ProcessFunction<String, MeterReading> {
    public static final List<String> CHANNELS = List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String dataset;
    private transient Counter recordsIn;
    private transient Counter readingsOut;
    private transient Counter deadLettered;

    /** @param dataset the file's base name, e.g. {@code ETTm1}; prefix of every meter id */
    public ParseEttLine(String dataset) {
        this.dataset = dataset;
    }

    /** {@code ETTm1} for {@code /data/ETTm1.csv.gz}. */
    public static String datasetName(String fileName) {
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        int dot = base.indexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    @Override
    public void open(OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        recordsIn = metrics.counter(PipelineMetrics.RECORDS_IN);
        readingsOut = metrics.counter(PipelineMetrics.READINGS_OUT);
        deadLettered = metrics.counter(PipelineMetrics.DEAD_LETTERED);
    }

    @Override
    public void processElement(String line, Context ctx, Collector<MeterReading> out) {
        if (line.startsWith("date,")) {
            return;
        }
        recordsIn.inc();
        long now = System.currentTimeMillis();
        String[] fields = line.split(",", -1);
        String reason = null;
        long timestamp = 0;
        double[] values = new double[CHANNELS.size()];
        if (fields.length != CHANNELS.size() + 1) {
            reason = "expected " + (CHANNELS.size() + 1) + " comma-separated fields, got " + fields.length;
        } else {
            try {
                timestamp = LocalDateTime.parse(fields[0].trim(), DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
                for (int i = 0; i < values.length; i++) {
                    String field = fields[i + 1].trim();
                    values[i] = Double.parseDouble(field);
                    if (!Double.isFinite(values[i])) {
                        reason = "value of " + CHANNELS.get(i) + " is not finite: " + field;
                        break;
                    }
                }
            } catch (DateTimeParseException e) {
                reason = "date is not yyyy-MM-dd HH:mm:ss: " + fields[0];
            } catch (NumberFormatException e) {
                reason = "non-numeric value: " + e.getMessage();
            }
        }
        if (reason != null) {
            deadLettered.inc();
            ctx.output(SideOutputs.DEAD_LETTERS, new DeadLetter(dataset, line, reason, now));
            return;
        }
        for (int i = 0; i < values.length; i++) {
            out.collect(new MeterReading(dataset + "/" + CHANNELS.get(i), timestamp, values[i], now));
        }
        readingsOut.inc(values.length);
    }
}
