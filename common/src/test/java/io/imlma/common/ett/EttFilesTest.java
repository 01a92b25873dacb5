package io.imlma.common.ett;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EttFilesTest {
    private static final String TEXT = "date,OT\n2016-07-01 00:00:00,30.5\n";

    @TempDir
    Path dir;

    private static List<String> lines(Path file) throws Exception {
        try (BufferedReader reader = EttFiles.reader(file)) {
            return reader.lines().toList();
        }
    }

    @Test
    void decompressesByContentNotByName() throws Exception {
        Path gzipWithoutGzName = dir.resolve("station.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipWithoutGzName))) {
            out.write(TEXT.getBytes(StandardCharsets.UTF_8));
        }
        Path plainWithGzName = dir.resolve("station.csv.gz");
        Files.writeString(plainWithGzName, TEXT);

        assertThat(lines(gzipWithoutGzName)).containsExactly("date,OT", "2016-07-01 00:00:00,30.5");
        assertThat(lines(plainWithGzName)).containsExactly("date,OT", "2016-07-01 00:00:00,30.5");
    }

    @Test
    void readsAnEmptyFileAsNoLines() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        assertThat(lines(empty)).isEmpty();
    }

    @Test
    void namesTheDatasetAfterTheFile() {
        assertThat(EttFiles.datasetName("/data/ETTm1.csv.gz")).isEqualTo("ETTm1");
        assertThat(EttFiles.datasetName("my-station.csv")).isEqualTo("my-station");
        assertThat(EttFiles.meterId("ETTm1", "OT")).isEqualTo("ETTm1/OT");
    }
}
