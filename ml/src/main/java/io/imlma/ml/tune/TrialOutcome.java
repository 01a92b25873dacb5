package io.imlma.ml.tune;

/** What one trial measured: the loss the tuner minimizes and the validation errors it is reported with. */
public record TrialOutcome(double loss, double validationMse, double validationMae) {}
