package io.imlma.udf;

import io.imlma.common.json.Json;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.MeterReading;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs of the preprocessing functions: what was set aside, never dropped silently. */
public final class SideOutputs {
    /** Input that could not be turned into a reading, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Same meter and timestamp seen again with a different value. */
    public static final OutputTag<DuplicateConflict> CONFLICTS =
            new OutputTag<>("duplicate-conflicts", TypeInformation.of(DuplicateConflict.class));

    /** Readings that arrived after the watermark passed the end of their window. */
    public static final OutputTag<MeterReading> LATE_READINGS =
            new OutputTag<>("late-readings", TypeInformation.of(MeterReading.class));

    private SideOutputs() {}

    /** A reading set aside after parsing, as a dead letter whose payload is the reading as JSON (as Kafka has it). */
    public static DeadLetter deadLetter(String source, MeterReading reading, String reason) {
        return new DeadLetter(source, Json.write(reading), reason, System.currentTimeMillis());
    }
}
