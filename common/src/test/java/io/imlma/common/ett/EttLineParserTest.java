package io.imlma.common.ett;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EttLineParserTest {
    private static final long T = Instant.parse("2016-07-01T00:15:00Z").toEpochMilli();

    @Test
    void readsTheStandardLayoutUntilAHeaderSaysOtherwise() throws Exception {
        EttLineParser parser = new EttLineParser();
        EttRow row = parser.parse("2016-07-01 00:15:00,5.76,2.076,1.492,0.0,4.142,1.371,-30.5");
        assertThat(row.timestamp()).isEqualTo(T);
        assertThat(row.values()).containsExactly(5.76, 2.076, 1.492, 0.0, 4.142, 1.371, -30.5);
        assertThat(parser.header().channels()).containsExactly("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
    }

    @Test
    void findsTheColumnsByTheHeadersNames() throws Exception {
        EttLineParser parser = new EttLineParser();
        assertThat(parser.parse("\uFEFFOT,HUFL,date")).isNull();
        assertThat(parser.header().channels()).containsExactly("OT", "HUFL");
        assertThat(parser.header().channelIndex("HUFL")).isEqualTo(1);
        assertThat(parser.header().channelIndex("LULL")).isEqualTo(-1);
        EttRow row = parser.parse("30.5, 5.76 ,2016-07-01 00:15:00");
        assertThat(row.timestamp()).isEqualTo(T);
        assertThat(row.values()).containsExactly(30.5, 5.76);
    }

    @Test
    void tellsHeadersFromDataLines() {
        assertThat(EttHeader.isHeader("date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT")).isTrue();
        assertThat(EttHeader.isHeader("HUFL, Date")).isTrue();
        assertThat(EttHeader.isHeader("2016-07-01 00:15:00,5.76,2.076")).isFalse();
    }

    @Test
    void namesWhatIsWrongWithALine() throws Exception {
        EttLineParser parser = new EttLineParser();
        assertThatThrownBy(() -> parser.parse("2016-07-01 00:15:00,5.76,2.076"))
                .isInstanceOf(EttFormatException.class).hasMessage("expected 8 comma-separated fields, got 3");
        assertThatThrownBy(() -> parser.parse("2016-07-01,5.76,2.076,1.492,0.0,4.142,1.371,30.5"))
                .hasMessage("date is not yyyy-MM-dd HH:mm:ss: 2016-07-01");
        assertThatThrownBy(() -> parser.parse("2016-02-30 00:15:00,5.76,2.076,1.492,0.0,4.142,1.371,30.5"))
                .hasMessage("date is not yyyy-MM-dd HH:mm:ss: 2016-02-30 00:15:00");
        assertThatThrownBy(() -> parser.parse("2016-07-01 24:00:00,5.76,2.076,1.492,0.0,4.142,1.371,30.5"))
                .hasMessage("date is not yyyy-MM-dd HH:mm:ss: 2016-07-01 24:00:00");
        assertThatThrownBy(() -> parser.parse("2016-07-01 00:15:00,5.76,abc,1.492,0.0,4.142,1.371,30.5"))
                .hasMessage("non-numeric value of HULL: abc");
        assertThatThrownBy(() -> parser.parse("2016-07-01 00:15:00,5.76,NaN,1.492,0.0,4.142,1.371,30.5"))
                .hasMessage("value of HULL is not finite: NaN");
    }

    @Test
    void rejectsHeadersItCannotReadAndKeepsTheLayoutItHad() throws Exception {
        EttLineParser parser = new EttLineParser();
        parser.parse("date,OT");
        assertThatThrownBy(() -> parser.parse("date,OT,OT")).hasMessageStartingWith("header names channel OT twice");
        assertThatThrownBy(() -> parser.parse("date,,OT")).hasMessageStartingWith("header has an unnamed column 2");
        assertThatThrownBy(() -> parser.parse("date")).hasMessageStartingWith("header has no channel columns");
        assertThatThrownBy(() -> parser.parse("date,OT,date")).hasMessageStartingWith("header names the date column");
        assertThatThrownBy(() -> EttHeader.parse("HUFL,OT")).hasMessageStartingWith("header has no date column");
        assertThat(parser.header()).isEqualTo(EttHeader.parse("date,OT"));
        assertThat(parser.parse("2016-07-01 00:15:00,1.5").values()).containsExactly(1.5);
    }
}
