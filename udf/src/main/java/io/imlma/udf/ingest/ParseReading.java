package io.imlma.udf.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.json.Json;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.MeterReading;
import io.imlma.common.types.RejectReason;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses a JSON reading {@code {"meterId": "...", "timestamp": ISO-8601 string or epoch-ms number, "value": number}}.
 * Anything unusable goes to {@link SideOutputs#DEAD_LETTERS} with the original payload and the reason; this function
 * never throws on bad input.
 */
public class ParseReading extends ProcessFunction<String, MeterReading> {
    private final String source;
    private final long maxFutureMillis;

    private transient Counter recordsIn;
    private transient Counter readingsOut;
    private transient Counter deadLettered;

    /**
     * @param source    name of the input (topic), recorded in dead letters
     * @param maxFuture how far ahead of the wall clock a timestamp may be before it is rejected
     */
    public ParseReading(String source, Duration maxFuture) {
        this.source = source;
        this.maxFutureMillis = maxFuture.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        recordsIn = metrics.counter(PipelineMetrics.RECORDS_IN);
        readingsOut = metrics.counter(PipelineMetrics.READINGS_OUT);
        deadLettered = metrics.counter(PipelineMetrics.DEAD_LETTERED);
    }

    @Override
    public void processElement(String payload, Context ctx, Collector<MeterReading> out) {
        recordsIn.inc();
        long now = System.currentTimeMillis();
        try {
            out.collect(parse(payload, now));
            readingsOut.inc();
        } catch (InvalidInput e) {
            deadLettered.inc();
            ctx.output(SideOutputs.DEAD_LETTERS, new DeadLetter(source, payload, e.getMessage(), now));
        }
    }

    private MeterReading parse(String payload, long now) throws InvalidInput {
        if (payload == null || payload.isBlank()) {
            throw new InvalidInput("empty payload");
        }
        if (payload.indexOf('\uFFFD') >= 0) {
            // how the Kafka source's UTF-8 decoding shows bytes that are not UTF-8: a garbled meter id would be a
            // new meter
            throw new InvalidInput("payload is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInput("expected a JSON object");
        }
        JsonNode meter = root.get("meterId");
        if (meter == null || meter.isNull()) {
            throw new InvalidInput("missing field meterId");
        }
        if (!meter.isTextual() || meter.asText().isBlank()) {
            throw new InvalidInput("meterId must be a non-empty string");
        }
        long timestamp = timestamp(root.get("timestamp"));
        if (timestamp > now + maxFutureMillis) {
            throw new InvalidInput(RejectReason.CLOCK_SKEW_FUTURE.describe("timestamp " + Instant.ofEpochMilli(timestamp)
                    + " is more than " + Duration.ofMillis(maxFutureMillis) + " in the future of the wall clock"));
        }
        JsonNode value = root.get("value");
        if (value == null || value.isNull()) {
            throw new InvalidInput("missing field value");
        }
        if (!value.isNumber()) {
            throw new InvalidInput("value is not a number: " + value);
        }
        double v = value.doubleValue();
        if (!Double.isFinite(v)) {
            throw new InvalidInput("value is not finite: " + v);
        }
        return new MeterReading(meter.asText(), timestamp, v, now);
    }

    private static long timestamp(JsonNode node) throws InvalidInput {
        if (node == null || node.isNull()) {
            throw new InvalidInput("missing field timestamp");
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                // ISO-8601 with an offset or Z; a local date-time without a zone is ambiguous and rejected
                return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(node.asText(), Instant::from).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new InvalidInput("timestamp is not ISO-8601 with an offset: " + node.asText());
            }
        }
        throw new InvalidInput("timestamp must be an ISO-8601 string or epoch milliseconds: " + node);
    }

    /** A reason to dead-letter; a checked exception so no path can forget it. */
    private static final class InvalidInput extends Exception {
        InvalidInput(String reason) {
            super(reason, null, false, false);
        }
    }
}
