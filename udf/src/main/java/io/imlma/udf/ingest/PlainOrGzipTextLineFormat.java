package io.imlma.udf.ingest;

import io.imlma.common.ett.EttFiles;
import java.io.BufferedReader;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * UTF-8 text lines of a file that is plain or gzip, told apart by its content ({@link EttFiles#decompressIfGzip}),
 * so a gzip file without the {@code .gz} name reads as well. (Flink's file source still decompresses by name
 * first: a file named {@code .gz} must be gzip.)
 */
public class PlainOrGzipTextLineFormat extends SimpleStreamFormat<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public Reader<String> createReader(Configuration config, FSDataInputStream stream) throws IOException {
        BufferedReader lines = EttFiles.reader(stream);
        return new Reader<>() {
            @Override
            public String read() throws IOException {
                return lines.readLine();
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
