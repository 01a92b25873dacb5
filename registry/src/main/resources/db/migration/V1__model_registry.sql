-- Model registry schema. The same SQL runs on MySQL/MariaDB (InnoDB) and on H2 in MySQL mode.
-- Times are BIGINT milliseconds since the epoch: exact on every engine, whereas mysql-connector-j drops the
-- fraction of DATETIME(3) values on MariaDB, whose handshake version (5.5.5-10.x) it takes for a server without
-- fractional seconds. In SQL, FROM_UNIXTIME(created_at_ms / 1000) shows one as a date.
-- JSON documents are TEXT written and read by the application's Jackson mapper (H2's JSON type differs from
-- MySQL's, so neither is used). Names compare case-sensitively (utf8mb4_bin) so MySQL and H2 agree on them.

CREATE TABLE models (
    name           VARCHAR(128) NOT NULL,
    created_at_ms  BIGINT       NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE model_versions (
    model_name               VARCHAR(128)  NOT NULL,
    version                  INT           NOT NULL,
    created_at_ms            BIGINT        NOT NULL,
    training_run             VARCHAR(128),
    data_from_ms             BIGINT,
    data_to_ms               BIGINT,
    snapshot_id              VARCHAR(512),
    trainer                  VARCHAR(128)  NOT NULL,
    hyperparameters          TEXT          NOT NULL,
    mse                      DOUBLE        NOT NULL,
    mae                      DOUBLE        NOT NULL,
    r2                       DOUBLE        NOT NULL,
    previous_version         INT,
    delta_prev_mse           DOUBLE,
    delta_prev_mae           DOUBLE,
    delta_prev_r2            DOUBLE,
    champion_at_registration INT,
    delta_champion_mse       DOUBLE,
    delta_champion_mae       DOUBLE,
    delta_champion_r2        DOUBLE,
    artifact_path            VARCHAR(1024) NOT NULL,
    artifact_sha256          CHAR(64)      NOT NULL,
    status                   VARCHAR(16)   NOT NULL,
    -- holds the model name while, and only while, this version is the champion: the unique index then admits
    -- one champion per model (NULLs never collide, on MySQL and H2 alike)
    champion_of              VARCHAR(128),
    decision_reasons         TEXT          NOT NULL,
    status_changed_at_ms     BIGINT        NOT NULL,
    PRIMARY KEY (model_name, version),
    CONSTRAINT fk_model_versions_model FOREIGN KEY (model_name) REFERENCES models (name),
    CONSTRAINT uq_model_versions_one_champion UNIQUE (champion_of),
    CONSTRAINT ck_model_versions_status CHECK (status IN ('CANDIDATE', 'CHAMPION', 'ARCHIVED', 'REJECTED')),
    -- IS NOT NULL spelled out: a CHECK that evaluates to UNKNOWN passes
    CONSTRAINT ck_model_versions_champion_marker CHECK (
        (status = 'CHAMPION' AND champion_of IS NOT NULL AND champion_of = model_name)
        OR (status <> 'CHAMPION' AND champion_of IS NULL)),
    CONSTRAINT ck_model_versions_version CHECK (version > 0),
    CONSTRAINT ck_model_versions_sha256 CHECK (CHAR_LENGTH(artifact_sha256) = 64)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_model_versions_training_run ON model_versions (model_name, training_run);

CREATE TABLE promotions (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    model_name      VARCHAR(128)  NOT NULL,
    from_version    INT,
    to_version      INT           NOT NULL,
    kind            VARCHAR(16)   NOT NULL,
    promoted_at_ms  BIGINT        NOT NULL,
    promoted_by     VARCHAR(128)  NOT NULL,
    reason          VARCHAR(2048) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_promotions_to FOREIGN KEY (model_name, to_version) REFERENCES model_versions (model_name, version),
    CONSTRAINT fk_promotions_from FOREIGN KEY (model_name, from_version) REFERENCES model_versions (model_name, version),
    CONSTRAINT ck_promotions_kind CHECK (kind IN ('PROMOTE', 'ROLLBACK'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_promotions_model ON promotions (model_name, id);

CREATE TABLE tuning_trials (
    model_name      VARCHAR(128) NOT NULL,
    training_run    VARCHAR(128) NOT NULL,
    trial_no        INT          NOT NULL,
    tuner           VARCHAR(64)  NOT NULL,
    parameters      TEXT         NOT NULL,
    validation_mse  DOUBLE       NOT NULL,
    validation_mae  DOUBLE       NOT NULL,
    duration_ms     BIGINT       NOT NULL,
    seed            BIGINT       NOT NULL,
    recorded_at_ms  BIGINT       NOT NULL,
    PRIMARY KEY (model_name, training_run, trial_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE alarms (
    alarm_id         VARCHAR(255)  NOT NULL,
    alarm_type       VARCHAR(32)   NOT NULL,
    severity         VARCHAR(16)   NOT NULL,
    meter_id         VARCHAR(128),
    model_version    INT           NOT NULL,
    measured_value   DOUBLE        NOT NULL,
    threshold_value  DOUBLE        NOT NULL,
    raised_at_ms     BIGINT        NOT NULL,
    message          VARCHAR(2048) NOT NULL,
    recorded_at_ms   BIGINT        NOT NULL,
    PRIMARY KEY (alarm_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_alarms_raised_at ON alarms (raised_at_ms);
