-- /practice runs, one row per finished run, for a player's own practice record in
-- /stats. A run is named by its seed: a run finished twice (a repeated click) counts once.

CREATE TABLE practice_runs (
    user_id     INTEGER NOT NULL,
    seed        INTEGER NOT NULL,
    questions   INTEGER NOT NULL CHECK (questions > 0),
    correct     INTEGER NOT NULL CHECK (correct BETWEEN 0 AND questions),
    finished_at INTEGER NOT NULL,            -- Unix milliseconds
    PRIMARY KEY (user_id, seed)
);
