package io.imlma.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The console's replay position: share of the input's event-time span, pace and time left; the end of input. */
class ReplayProgressTest {
    private static final long FROM = Instant.parse("2016-07-01T00:00:00Z").toEpochMilli();
    private static final long TO = Instant.parse("2016-07-11T00:00:00Z").toEpochMilli();
    private static final ReplaySpan SPAN = new ReplaySpan(FROM, TO, 10_000);

    @Test
    void aQuarterAfterTwentySecondsIsAMinuteFromTheEnd() {
        long quarter = FROM + (TO - FROM) / 4;
        ReplayProgress progress = ReplayProgress.of(SPAN, quarter, Duration.ofSeconds(20));
        assertThat(progress.remaining()).isEqualTo(Duration.ofSeconds(60));
        assertThat(progress.describe()).isEqualTo("replayed 2016-07-03 (25 % · 125 rows/s · ETA 1 min)");
    }

    @Test
    void theEndOfInputIsTheWholeSpan() {
        // Flink's watermark once a bounded source has finished
        assertThat(ReplayProgress.of(SPAN, Long.MAX_VALUE, Duration.ofSeconds(50)).describe())
                .isEqualTo("replay done: 2016-07-11 (100 %)");
    }
}
