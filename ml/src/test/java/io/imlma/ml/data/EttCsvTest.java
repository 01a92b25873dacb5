package io.imlma.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.imlma.common.features.FeatureSettings;
import io.imlma.common.types.FeatureRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EttCsvTest {
    private static final FeatureSettings SETTINGS = new FeatureSettings(15 * 60_000, 2);

    private static List<FeatureRow> read(String text, String channel, int skip, int max) throws IOException {
        return EttCsv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "s", channel, skip, max,
                SETTINGS);
    }

    @Test
    void readsAChannelByItsHeaderNameInAnyColumnOrder() throws Exception {
        String standard = "date,HUFL,OT\n2016-07-01 00:00:00,1,10\n2016-07-01 00:15:00,2,20\n";
        String reordered = "OT,date,HUFL\n10,2016-07-01 00:00:00,1\n20,2016-07-01 00:15:00,2\n";
        assertThat(read(reordered, "OT", 0, 10)).isEqualTo(read(standard, "OT", 0, 10))
                .extracting(FeatureRow::meterId, FeatureRow::mean).containsExactly(tuple("s/OT", 10.0), tuple("s/OT", 20.0));
    }

    @Test
    void groupsReadingsIntoIntervalsAndImputesGapsAsTheStreamingJobDoes() throws Exception {
        String fiveMinutes = """
                date,OT
                2016-07-01 00:00:00,1
                2016-07-01 00:05:00,3
                2016-07-01 00:10:00,8
                2016-07-01 00:45:00,6
                """;
        assertThat(read(fiveMinutes, "OT", 0, 10)).extracting(r -> (r.windowStart() % 3_600_000) / 60_000,
                FeatureRow::mean, FeatureRow::min, FeatureRow::max, FeatureRow::count, FeatureRow::imputed,
                FeatureRow::warmUp).containsExactly(
                        tuple(0L, 4.0, 1.0, 8.0, 3L, false, true),
                        tuple(15L, 4.0, 4.0, 4.0, 0L, true, true),
                        tuple(30L, 4.0, 4.0, 4.0, 0L, true, true),
                        tuple(45L, 6.0, 6.0, 6.0, 1L, false, false));
    }

    @Test
    void skipsAndLimitsRows() throws Exception {
        String text = "date,OT\n2016-07-01 00:00:00,1\n2016-07-01 00:15:00,2\n2016-07-01 00:30:00,3\n"
                + "2016-07-01 00:45:00,4\n";
        List<FeatureRow> rows = read(text, "OT", 1, 2);
        assertThat(rows).extracting(FeatureRow::mean).containsExactly(2.0, 3.0);
        assertThat(rows.get(0).standardized()).isZero(); // statistics start at the first row read
    }

    @Test
    void namesTheLineThatIsWrong() {
        assertThatThrownBy(() -> read("date,OT\n2016-07-01 00:00:00,x\n", "OT", 0, 10))
                .isInstanceOf(IOException.class).hasMessage("line 2 of s: non-numeric value of OT: x");
        assertThatThrownBy(() -> read("date,OT\n2016-07-01 00:15:00,1\n2016-07-01 00:00:00,2\n", "OT", 0, 10))
                .isInstanceOf(IOException.class).hasMessageContaining("line 3 of s is not later");
        assertThatThrownBy(() -> read("date,OT\n2016-07-01 00:15:00,1\n", "HUFL", 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no channel HUFL");
    }
}
