package io.imlma.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.testkit.EttFixture.EttRow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EttFixtureTest {

    @Test
    void linesAreTheHeaderAndTheFirstDataLinesOfTheFile() {
        List<String> lines = EttFixture.lines(2);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT");
        assertThat(lines.get(1)).startsWith("2016-07-01 00:00:00,");
        assertThat(lines.get(2)).startsWith("2016-07-01 00:15:00,");
    }

    @Test
    void rowsAreParsedLinesCountedFromTheFirstAfterTheHeader() {
        List<String> lines = EttFixture.lines(3);
        List<EttRow> rows = EttFixture.rows(1, 2);

        assertThat(rows).extracting(EttRow::timestamp).containsExactly(
                Instant.parse("2016-07-01T00:15:00Z").toEpochMilli(),
                Instant.parse("2016-07-01T00:30:00Z").toEpochMilli());
        assertThat(rows.get(1).values()).containsOnlyKeys("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
        String[] third = lines.get(3).split(",");
        assertThat(rows.get(1).value("HUFL")).isEqualTo(Double.parseDouble(third[1]));
        assertThat(rows.get(1).value("OT")).isEqualTo(Double.parseDouble(third[7]));
    }

    @Test
    void allRowsAreTheWholeTwoYears() {
        List<EttRow> rows = EttFixture.rows();

        assertThat(rows).hasSize(69_680);
        assertThat(rows.get(rows.size() - 1).timestamp()).isEqualTo(Instant.parse("2018-06-26T19:45:00Z").toEpochMilli());
    }
}
