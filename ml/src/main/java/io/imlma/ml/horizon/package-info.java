/**
 * Multi-horizon (day-ahead) forecasting: one model forecasts the next H intervals of a series from its last L
 * values (and optionally calendar features of the issue time), shared by all series it was trained on
 * (channel-independent).
 *
 * <ul>
 *   <li>Data: {@link io.imlma.ml.horizon.Series} (gap-free runs, from snapshot feature rows with
 *       {@link io.imlma.ml.horizon.Series#fromRows}), {@link io.imlma.ml.horizon.Windows} (windows over runs without
 *       copies; no window crosses a gap or has an imputed target; the loop's time-ordered split).</li>
 *   <li>Models: {@link io.imlma.ml.horizon.HorizonModel} ({@code forecast(lastL, issueTime) → H values}), JSON
 *       through {@link io.imlma.ml.horizon.HorizonModelCodec}; the model file the loop versions and serves,
 *       {@link io.imlma.ml.horizon.ModelArtifact}. The one-step {@code model.Model} path remains for the paper's
 *       experiments only.</li>
 *   <li>A retraining's data: {@link io.imlma.ml.horizon.TrainingWindows} (per-meter 70/15/15 split, pooled; the
 *       candidate, champion and baselines scored on the same test windows).</li>
 *   <li>Trainers: {@link io.imlma.ml.horizon.HorizonEstimatorFactory} → {@link io.imlma.ml.horizon.HorizonEstimator}
 *       → model, with a {@link io.imlma.ml.tune.SearchSpace} for the tuners: the linear family in closed form
 *       ({@link io.imlma.ml.horizon.RidgeForecaster}) and an MLP ({@link io.imlma.ml.horizon.MlpForecaster});
 *       {@link io.imlma.ml.horizon.HorizonObjective} is a tuning trial.</li>
 * </ul>
 */
package io.imlma.ml.horizon;
