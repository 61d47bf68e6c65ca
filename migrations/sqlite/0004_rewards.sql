-- Role rewards: the roles a server gives for all-time points, and the ledger of who
-- was given which, so that a role is given once and a failed grant is tried again at
-- the player's next reveal.

-- One row per role a server gives; `/rewards remove` deletes it and its ledger rows.
CREATE TABLE rewards (
    guild_id INTEGER NOT NULL,
    role_id  INTEGER NOT NULL,
    -- All-time points in the server that earn the role.
    points   INTEGER NOT NULL CHECK (points > 0),
    PRIMARY KEY (guild_id, role_id)
);

-- One row per player and role earned, from the reveal that earned it.
CREATE TABLE reward_grants (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    role_id    INTEGER NOT NULL,
    -- 1 once Discord gave the role; 0 until then (a failed grant is tried again).
    granted    INTEGER NOT NULL DEFAULT 0,
    -- Grants tried so far.
    attempts   INTEGER NOT NULL DEFAULT 0,
    -- Unix milliseconds the role was earned.
    earned_at  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, role_id),
    FOREIGN KEY (guild_id, role_id) REFERENCES rewards (guild_id, role_id) ON DELETE CASCADE
);
