package io.imlma.jobs.connect;

import io.imlma.udf.ingest.ParseEttLine;
import io.imlma.udf.ingest.PlainOrGzipTextLineFormat;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The lines of an ETT-format CSV file (plain or gzip, told apart by content) as a bounded stream, in file order. */
public final class EttFileSource {
    private EttFileSource() {}

    /** The meters of {@code file} are named after its base name: {@code ETTm1/OT} for {@code ETTm1.csv.gz}. */
    public static String dataset(java.nio.file.Path file) {
        return ParseEttLine.datasetName(file.getFileName().toString());
    }

    public static DataStream<String> lines(StreamExecutionEnvironment env, java.nio.file.Path file) {
        String dataset = dataset(file);
        FileSource<String> source = FileSource
                .forRecordStreamFormat(new PlainOrGzipTextLineFormat(), new Path(file.toAbsolutePath().toUri()))
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "replay-" + dataset)
                .uid("replay-" + dataset)
                .setParallelism(1); // one file is one split; the replay keeps its order
    }
}
