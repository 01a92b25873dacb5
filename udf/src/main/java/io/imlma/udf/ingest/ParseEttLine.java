package io.imlma.udf.ingest;

import io.imlma.common.ett.EttFiles;
import io.imlma.common.ett.EttFormatException;
import io.imlma.common.ett.EttHeader;
import io.imlma.common.ett.EttLineParser;
import io.imlma.common.ett.EttRow;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.SideOutputs;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns one line of an ETT-format CSV into one reading per channel, meter {@code <dataset>/<channel>}, with the
 * project's one ETT parser ({@link EttLineParser}): columns by the header's names (the standard ETT layout until a
 * header arrives), dates in UTC. Header lines are not readings; malformed lines, and headers that cannot be read, go
 * to {@link SideOutputs#DEAD_LETTERS} with the reason.
 *
 * <p>The header last seen is kept in operator state: after a restore the source resumes behind the header, and the
 * lines after it must still be read with its columns. Each parallel instance keeps the header of the lines it saw
 * (a file replay is read by one instance).
 */
public class ParseEttLine extends ProcessFunction<String, MeterReading> implements CheckpointedFunction {
    private final String dataset;
    private transient EttLineParser parser;
    private transient ListState<String> headerState;
    private transient ParseCounters counters;

    /** @param dataset the file's base name, e.g. {@code ETTm1}; prefix of every meter id */
    public ParseEttLine(String dataset) {
        this.dataset = dataset;
    }

    /** {@code ETTm1} for {@code /data/ETTm1.csv.gz}. */
    public static String datasetName(String fileName) {
        return EttFiles.datasetName(fileName);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        headerState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("ett-header", Types.STRING));
        EttHeader header = EttHeader.STANDARD;
        for (String line : headerState.get()) {
            header = EttHeader.parse(line);
        }
        parser = new EttLineParser(header);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        headerState.update(List.of(parser.header().line()));
    }

    @Override
    public void open(OpenContext openContext) {
        counters = ParseCounters.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(String line, Context ctx, Collector<MeterReading> out) {
        long now = System.currentTimeMillis();
        EttRow row;
        try {
            row = parser.parse(line);
        } catch (EttFormatException e) {
            counters.recordsIn().inc();
            counters.deadLettered().inc();
            ctx.output(SideOutputs.DEAD_LETTERS, new DeadLetter(dataset, line, e.getMessage(), now));
            return;
        }
        if (row == null) {
            return; // a header: not a record, it says how to read the lines after it
        }
        counters.recordsIn().inc();
        List<String> channels = parser.header().channels();
        double[] values = row.values();
        for (int i = 0; i < values.length; i++) {
            out.collect(new MeterReading(EttFiles.meterId(dataset, channels.get(i)), row.timestamp(), values[i], now));
        }
        counters.readingsOut().inc(values.length);
    }
}
