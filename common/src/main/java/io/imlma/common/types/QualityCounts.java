package io.imlma.common.types;

/**
 * Input-quality counts of the pipeline over one interval, from which the data-quality monitor derives rates.
 *
 * @param featureRows  feature rows emitted
 * @param imputedRows  of those, rows imputed because no reading arrived
 * @param readings     readings behind the feature rows
 * @param deadLetters  records rejected to the dead-letter output
 * @param lateReadings readings that arrived after their window closed
 */
public record QualityCounts(
        long windowStart,
        long windowEnd,
        long featureRows,
        long imputedRows,
        long readings,
        long deadLetters,
        long lateReadings) {

    public static QualityCounts ofFeatureRow(FeatureRow row) {
        return new QualityCounts(row.windowStart(), row.windowEnd(), 1, row.imputed() ? 1 : 0, row.count(), 0, 0);
    }

    public static QualityCounts ofDeadLetter(DeadLetter deadLetter) {
        return new QualityCounts(deadLetter.detectedAt(), deadLetter.detectedAt(), 0, 0, 0, 1, 0);
    }

    public static QualityCounts ofLateReading(MeterReading reading) {
        return new QualityCounts(reading.timestamp(), reading.timestamp(), 0, 0, 0, 0, 1);
    }

    /** Sum of both, spanning both intervals. */
    public QualityCounts plus(QualityCounts other) {
        return new QualityCounts(
                Math.min(windowStart, other.windowStart),
                Math.max(windowEnd, other.windowEnd),
                featureRows + other.featureRows,
                imputedRows + other.imputedRows,
                readings + other.readings,
                deadLetters + other.deadLetters,
                lateReadings + other.lateReadings);
    }
}
