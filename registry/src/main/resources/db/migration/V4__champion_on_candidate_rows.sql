-- Like-for-like comparison with the champion: a version stores the champion's metrics on the version's own test
-- rows (as the replacement decision measured them) and which rows those were. The delta_champion_* columns then
-- hold ΔM from those metrics. Versions stored before have neither: their delta_champion_* compared the two
-- versions' metrics on different test windows, so they are cleared (both metrics are still in the table) and such
-- a version shows as not measured on the same rows; champion_at_registration keeps which champion there was.
ALTER TABLE model_versions ADD COLUMN test_first_target_ms BIGINT;
ALTER TABLE model_versions ADD COLUMN test_last_target_ms BIGINT;
ALTER TABLE model_versions ADD COLUMN test_rows INT;
ALTER TABLE model_versions ADD COLUMN champion_mse DOUBLE;
ALTER TABLE model_versions ADD COLUMN champion_mae DOUBLE;
ALTER TABLE model_versions ADD COLUMN champion_r2 DOUBLE;

UPDATE model_versions SET delta_champion_mse = NULL, delta_champion_mae = NULL, delta_champion_r2 = NULL;

-- champion metrics come with the rows they were computed on and the champion they belong to; IS NOT NULL spelled
-- out, as a CHECK that evaluates to UNKNOWN passes
ALTER TABLE model_versions ADD CONSTRAINT ck_model_versions_champion_metrics CHECK (
    (champion_mse IS NULL AND champion_mae IS NULL AND champion_r2 IS NULL)
    OR (champion_mse IS NOT NULL AND champion_mae IS NOT NULL AND champion_r2 IS NOT NULL
        AND test_rows IS NOT NULL AND champion_at_registration IS NOT NULL));
ALTER TABLE model_versions ADD CONSTRAINT ck_model_versions_test_rows CHECK (
    (test_rows IS NULL AND test_first_target_ms IS NULL AND test_last_target_ms IS NULL)
    OR (test_rows > 0 AND test_first_target_ms IS NOT NULL AND test_last_target_ms IS NOT NULL
        AND test_first_target_ms <= test_last_target_ms));
