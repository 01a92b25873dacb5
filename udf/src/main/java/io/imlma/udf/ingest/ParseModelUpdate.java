package io.imlma.udf.ingest;

import io.imlma.common.json.Json;
import io.imlma.common.types.ModelUpdate;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record that is not a model update is logged and skipped: serving goes on with the current champion. */
public final class ParseModelUpdate implements FlatMapFunction<String, ModelUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseModelUpdate.class);

    @Override
    public void flatMap(String json, Collector<ModelUpdate> out) {
        try {
            out.collect(Json.read(json, ModelUpdate.class));
        } catch (RuntimeException e) {
            LOG.error("Skipping a record of the model-updates topic that is not a model update: {} ({})", json,
                    e.getMessage());
        }
    }
}
