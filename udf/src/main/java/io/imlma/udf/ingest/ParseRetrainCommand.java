package io.imlma.udf.ingest;

import io.imlma.common.json.Json;
import io.imlma.common.types.RetrainCommand;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record that is not a retrain command is logged, counted ({@value #SKIPPED}) and skipped: the trigger goes on. */
public final class ParseRetrainCommand extends RichFlatMapFunction<String, RetrainCommand> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseRetrainCommand.class);

    public static final String SKIPPED = "retrainCommandsSkipped";

    private transient Counter skipped;

    @Override
    public void open(OpenContext openContext) {
        skipped = getRuntimeContext().getMetricGroup().counter(SKIPPED);
    }

    @Override
    public void flatMap(String json, Collector<RetrainCommand> out) {
        RetrainCommand command;
        try {
            command = Json.read(json, RetrainCommand.class);
            if (command.modelName() == null || command.modelName().isBlank()) {
                throw new IllegalArgumentException("no modelName");
            }
        } catch (RuntimeException e) {
            skipped.inc();
            LOG.error("Skipping a record of the retrain-commands topic that is not a retrain command: {} ({})",
                    json, e.getMessage());
            return;
        }
        out.collect(command);
    }
}
