package io.imlma.api;

import io.imlma.common.types.Prediction;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The newest forecast per model and meter of the predictions fed to it (by the demo's sink in the job, or
 * {@link ForecastsTopicFollower} from Kafka); an older one arriving late never replaces a newer one.
 */
public final class LatestForecasts implements IssuedForecasts, Consumer<Prediction> {
    private record Key(String modelName, String meterId) {}

    private final Map<Key, Prediction> latest = new ConcurrentHashMap<>();

    @Override
    public void accept(Prediction prediction) {
        latest.merge(new Key(prediction.modelName(), prediction.meterId()), prediction,
                (current, next) -> next.issueTime() >= current.issueTime() ? next : current);
    }

    @Override
    public Optional<Prediction> latest(String modelName, String meterId) {
        return Optional.ofNullable(latest.get(new Key(modelName, meterId)));
    }
}
