package io.imlma.bench.ett;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.imlma.common.ett.EttFiles;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.Windows;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class EttProtocolTest {
    private static final long START = 1_467_331_200_000L; // 2016-07-01 00:00 UTC, ETTm1's first row
    private static final long INTERVAL = 15 * 60_000L;

    /** Channel "row" holds the row index, so a z-scored value tells which row it came from. */
    private static EttData rowIndexData(int rows) {
        long[] times = new long[rows];
        double[] index = new double[rows];
        double[] noise = new double[rows];
        for (int r = 0; r < rows; r++) {
            times[r] = START + r * INTERVAL;
            index[r] = r;
            noise[r] = Math.sin(r);
        }
        return new EttData(List.of("row", "OT"), times, new double[][] {index, noise});
    }

    private static int row(EttProtocol.Split split, double z) {
        return (int) Math.round(z * split.stds()[0] + split.means()[0]);
    }

    @Test
    void splitBordersAreThoseOfThePublishedCode() {
        int l = 336;
        int h = 96;
        EttProtocol.Split split = EttProtocol.split(rowIndexData(69_680), List.of("row"),
                new HorizonSpec(l, h, false, ZoneId.of("UTC")));
        assertThat(EttProtocol.TRAIN_END).isEqualTo(34_560);
        assertThat(EttProtocol.VALIDATION_END).isEqualTo(46_080);
        assertThat(EttProtocol.TEST_END).isEqualTo(57_600);

        // train rows [0, 34560): windows start at 0 .. 34560 − L − H (len(data) − L − H + 1 windows)
        assertThat(split.train().size()).isEqualTo(34_560 - l - h + 1);
        assertThat(firstInputRow(split, split.train(), 0)).isEqualTo(0);
        assertThat(lastTargetRow(split, split.train())).isEqualTo(34_559);
        // validation rows [34560 − L, 46080)
        assertThat(split.validation().size()).isEqualTo(11_520 - h + 1);
        assertThat(firstInputRow(split, split.validation(), 0)).isEqualTo(34_560 - l);
        assertThat(row(split, split.validation().targets(0)[0])).isEqualTo(34_560);
        assertThat(lastTargetRow(split, split.validation())).isEqualTo(46_079);
        // test rows [46080 − L, 57600), every window (no drop_last)
        assertThat(split.test().size()).isEqualTo(11_425);
        assertThat(firstInputRow(split, split.test(), 0)).isEqualTo(46_080 - l);
        assertThat(row(split, split.test().targets(0)[0])).isEqualTo(46_080);
        assertThat(lastTargetRow(split, split.test())).isEqualTo(57_599);
    }

    @Test
    void channelsAreZScoredWithTheTrainingRowsPopulationStatistics() {
        EttProtocol.Split split = EttProtocol.split(rowIndexData(57_600), List.of("row", "OT"),
                new HorizonSpec(96, 96, false, ZoneId.of("UTC")));
        double n = 34_560;
        assertThat(split.means()[0]).isCloseTo((n - 1) / 2, within(1e-9));
        assertThat(split.stds()[0]).isCloseTo(Math.sqrt((n * n - 1) / 12), within(1e-6)); // population, not sample
        assertThat(split.channels()).containsExactly("row", "OT");
        // channel-independent: each channel is its own series, both in every part
        assertThat(split.test().size()).isEqualTo(2 * (11_520 - 96 + 1));
    }

    @Test
    void tooFewRowsOrAGapAreRejected() {
        HorizonSpec spec = new HorizonSpec(96, 96, false, ZoneId.of("UTC"));
        assertThatThrownBy(() -> EttProtocol.split(rowIndexData(50_000), List.of("OT"), spec))
                .hasMessageContaining("needs 57600 rows");
        EttData data = rowIndexData(57_600);
        data.times()[1000] += INTERVAL;
        assertThatThrownBy(() -> EttProtocol.split(data, List.of("OT"), spec))
                .hasMessageContaining("not consecutive");
    }

    @Test
    void readsPlainAndGzipTablesAlike() throws Exception {
        String csv = "date,HUFL,OT\n2016-07-01 00:00:00,5.5,30.5\n2016-07-01 00:15:00,5.75,30.25\n";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(csv.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] bytes : List.of(csv.getBytes(StandardCharsets.UTF_8), gz.toByteArray())) {
            EttData data = EttData.read(EttFiles.reader(new ByteArrayInputStream(bytes)));
            assertThat(data.channels()).containsExactly("HUFL", "OT");
            assertThat(data.times()).containsExactly(START, START + INTERVAL);
            assertThat(data.channel("OT")).containsExactly(30.5, 30.25);
        }
        assertThatThrownBy(() -> EttData.read(EttFiles.reader(new ByteArrayInputStream("date,OT\nx,1\n".getBytes()))))
                .hasMessageContaining("line 2");
    }

    private static int firstInputRow(EttProtocol.Split split, Windows windows, int window) {
        return row(split, windows.inputs(window)[0]);
    }

    private static int lastTargetRow(EttProtocol.Split split, Windows windows) {
        double[] targets = windows.targets(windows.size() - 1);
        return row(split, targets[targets.length - 1]);
    }
}
