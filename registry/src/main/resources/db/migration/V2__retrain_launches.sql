-- Launches of retrain requests: the primary key on the request id makes launching idempotent across restarts of
-- the launching job (a request replayed from a checkpoint finds its record and starts nothing).
CREATE TABLE retrain_launches (
    request_id      VARCHAR(255) NOT NULL,
    mode            VARCHAR(32)  NOT NULL,
    job_id          VARCHAR(255),
    status          VARCHAR(16)  NOT NULL,
    started_at_ms   BIGINT       NOT NULL,
    finished_at_ms  BIGINT       NOT NULL,
    message         TEXT,
    results         TEXT         NOT NULL,
    PRIMARY KEY (request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
