-- /practice runs, one row per finished run, for a player's own practice record in
-- /stats. A run is named by its seed: a run finished twice (a repeated click) counts once.

CREATE TABLE practice_runs (
    user_id     BIGINT NOT NULL,
    seed        BIGINT NOT NULL,
    questions   BIGINT NOT NULL CHECK (questions > 0),
    correct     BIGINT NOT NULL CHECK (correct BETWEEN 0 AND questions),
    finished_at BIGINT NOT NULL,             -- Unix milliseconds
    PRIMARY KEY (user_id, seed)
);
