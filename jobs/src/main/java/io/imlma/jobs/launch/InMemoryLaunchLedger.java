package io.imlma.jobs.launch;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link LaunchLedger} for one process: forgets everything on restart. */
public final class InMemoryLaunchLedger implements LaunchLedger {
    private final Map<String, LaunchOutcome> records = new ConcurrentHashMap<>();

    @Override
    public Optional<LaunchOutcome> claim(LaunchOutcome running) {
        return Optional.ofNullable(records.putIfAbsent(running.requestId(), running));
    }

    @Override
    public boolean takeOver(LaunchOutcome interrupted, LaunchOutcome running) {
        return records.replace(interrupted.requestId(), interrupted, running);
    }

    @Override
    public void record(LaunchOutcome outcome) {
        records.put(outcome.requestId(), outcome);
    }

    @Override
    public Optional<LaunchOutcome> find(String requestId) {
        return Optional.ofNullable(records.get(requestId));
    }
}
