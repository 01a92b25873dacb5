package io.imlma.udf.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParseReadingTest {
    private OneInputStreamOperatorTestHarness<String, MeterReading> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new ParseReading("readings", Duration.ofHours(1)));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void parsesIsoAndEpochTimestamps() throws Exception {
        harness.processElement("{\"meterId\":\"m1\",\"timestamp\":\"2016-07-01T00:15:00Z\",\"value\":5.8}", 0);
        harness.processElement("{\"meterId\":\"m2\",\"timestamp\":1467332100000,\"value\":-2}", 0);
        harness.processElement("{\"meterId\":\"m3\",\"timestamp\":\"2016-07-01T02:15:00+02:00\",\"value\":0}", 0);

        List<MeterReading> out = harness.extractOutputValues();
        assertThat(out).extracting(MeterReading::meterId).containsExactly("m1", "m2", "m3");
        long expected = Instant.parse("2016-07-01T00:15:00Z").toEpochMilli();
        assertThat(out).extracting(MeterReading::timestamp).containsOnly(expected);
        assertThat(out).extracting(MeterReading::value).containsExactly(5.8, -2.0, 0.0);
        assertThat(out).allSatisfy(r -> assertThat(r.ingestTime()).isPositive());
        assertThat(harness.getSideOutput(SideOutputs.DEAD_LETTERS)).isNull();
    }

    @Test
    void deadLettersBadInputWithReasonAndOriginalPayload() throws Exception {
        String future = Instant.now().plus(Duration.ofDays(2)).toString();
        List<String> bad = List.of(
                "{not json",
                "[1,2]",
                "{\"timestamp\":1467332100000,\"value\":1}",
                "{\"meterId\":\"m\",\"value\":1}",
                "{\"meterId\":\"m\",\"timestamp\":1467332100000}",
                "{\"meterId\":\"m\",\"timestamp\":1467332100000,\"value\":\"12\"}",
                "{\"meterId\":\"m\",\"timestamp\":1467332100000,\"value\":1e400}",
                "{\"meterId\":\"m\",\"timestamp\":\"yesterday\",\"value\":1}",
                "{\"meterId\":\"m\",\"timestamp\":\"2016-07-01 00:00:00\",\"value\":1}",
                "{\"meterId\":\"m\",\"timestamp\":\"" + future + "\",\"value\":1}",
                "{\"meterId\":\"m\",\"timestamp\":\"2016-02-30T00:00:00Z\",\"value\":1}",
                new String(new byte[] {'{', '"', 'm', 'e', 't', 'e', 'r', 'I', 'd', '"', ':', '"', 'm', (byte) 0xFF,
                    '"', ',', '"', 't', 'i', 'm', 'e', 's', 't', 'a', 'm', 'p', '"', ':', '1', ',', '"', 'v', 'a', 'l',
                    'u', 'e', '"', ':', '1', '}'}, java.nio.charset.StandardCharsets.UTF_8),
                "");
        for (String payload : bad) {
            harness.processElement(payload, 0);
        }

        assertThat(harness.extractOutputValues()).isEmpty();
        List<DeadLetter> dead = harness.getSideOutput(SideOutputs.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue).toList();
        assertThat(dead).extracting(DeadLetter::payload).containsExactlyElementsOf(bad);
        assertThat(dead).extracting(DeadLetter::source).containsOnly("readings");
        assertThat(dead).extracting(DeadLetter::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("malformed JSON"),
                r -> assertThat(r).isEqualTo("expected a JSON object"),
                r -> assertThat(r).isEqualTo("missing field meterId"),
                r -> assertThat(r).isEqualTo("missing field timestamp"),
                r -> assertThat(r).isEqualTo("missing field value"),
                r -> assertThat(r).startsWith("value is not a number"),
                r -> assertThat(r).startsWith("value is not finite"),
                r -> assertThat(r).startsWith("timestamp is not ISO-8601"),
                r -> assertThat(r).startsWith("timestamp is not ISO-8601"),
                r -> assertThat(r).startsWith("clock skew future: ").contains("in the future of the wall clock"),
                r -> assertThat(r).startsWith("timestamp is not ISO-8601"),
                r -> assertThat(r).isEqualTo("payload is not valid UTF-8"),
                r -> assertThat(r).isEqualTo("empty payload"));
    }
}
