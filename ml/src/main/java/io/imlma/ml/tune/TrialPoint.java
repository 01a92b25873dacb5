package io.imlma.ml.tune;

import io.imlma.ml.model.Hyperparameters;

/** A proposed point: its unit-cube coordinates (what the tuner models) and the hyperparameters to train with. */
public record TrialPoint(double[] unit, Hyperparameters parameters) {}
