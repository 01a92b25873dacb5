/**
 * The keyed preprocessing as it was before {@link io.imlma.udf.preprocess.PreprocessReadings}: four operators, each
 * with its own state (dedup MapState with TTL, Flink's tumbling windows, imputation and Welford value states). Kept
 * unchanged, in test code only, as the reference {@code PreprocessEquivalenceTest} holds the new operator to.
 */
package io.imlma.jobs.preprocess.reference;
