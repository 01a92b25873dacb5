package io.imlma.udf.snapshot;

import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * Snapshot row format: one JSON object per line ({@code \n}-terminated), so a file's row count is its line count
 * and manifests can count rows while hashing. Read back with {@code Json.read(line, FeatureRow.class)}.
 */
public final class FeatureRowJsonEncoder implements Encoder<FeatureRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(FeatureRow row, OutputStream out) throws IOException {
        out.write(Json.MAPPER.writeValueAsBytes(row));
        out.write('\n');
    }
}
