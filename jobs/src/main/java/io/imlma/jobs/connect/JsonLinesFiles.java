package io.imlma.jobs.connect;

import io.imlma.common.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/** Records as JSON lines in files under a directory, complete at each checkpoint (the demo's outputs). */
public final class JsonLinesFiles {
    private JsonLinesFiles() {}

    public static <T> FileSink<T> sink(java.nio.file.Path dir) {
        // roll on every checkpoint so finished files appear as the job goes, not only after an hour
        return FileSink.forRowFormat(new Path(dir.toUri()), new JsonLineEncoder<T>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
    }

    private static final class JsonLineEncoder<T> implements Encoder<T> {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(T element, OutputStream stream) throws IOException {
            stream.write(Json.write(element).getBytes(StandardCharsets.UTF_8));
            stream.write('\n');
        }
    }
}
