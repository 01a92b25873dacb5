package io.imlma.ml.tune;

import io.imlma.ml.model.Hyperparameters;

/** One evaluated trial, as recorded for the registry and the benchmark. */
public record TrialRecord(
        String tuner,
        int index,
        int round,
        Hyperparameters parameters,
        double loss,
        double validationMse,
        double validationMae,
        long durationMillis,
        long seed) {}
