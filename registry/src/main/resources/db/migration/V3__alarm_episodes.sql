-- Alarm episodes: a monitor sends a raise, re-notifications ("still active: ...") and a clear (severity INFO,
-- "resolved: ...") under one alarm id. The row of an id keeps the raise in the original columns (the episode's
-- earliest non-clear event), the latest notification, and the clear. last_notified_at_ms stays NULL while only
-- the clear is known (it arrived first); the original columns then hold the clear until the raise arrives.
ALTER TABLE alarms ADD COLUMN last_notified_at_ms BIGINT;
ALTER TABLE alarms ADD COLUMN last_value DOUBLE;
ALTER TABLE alarms ADD COLUMN cleared_at_ms BIGINT;
ALTER TABLE alarms ADD COLUMN resolution VARCHAR(2048);

-- rows stored before: an INFO row was a clear that arrived first, every other row a raise
UPDATE alarms SET last_notified_at_ms = raised_at_ms, last_value = measured_value WHERE severity <> 'INFO';
UPDATE alarms SET cleared_at_ms = raised_at_ms, resolution = message WHERE severity = 'INFO';

CREATE INDEX ix_alarms_cleared_at ON alarms (cleared_at_ms);
