-- Role rewards: the roles a server gives for all-time points, and the ledger of who
-- was given which, so that a role is given once and a failed grant is tried again at
-- the player's next reveal.
-- The same schema as sqlite/0004_rewards.sql, in PostgreSQL's types.

-- One row per role a server gives; `/rewards remove` deletes it and its ledger rows.
CREATE TABLE rewards (
    guild_id BIGINT NOT NULL,
    role_id  BIGINT NOT NULL,
    -- All-time points in the server that earn the role.
    points   BIGINT NOT NULL CHECK (points > 0),
    PRIMARY KEY (guild_id, role_id)
);

-- One row per player and role earned, from the reveal that earned it.
CREATE TABLE reward_grants (
    guild_id   BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    role_id    BIGINT NOT NULL,
    -- 1 once Discord gave the role; 0 until then (a failed grant is tried again).
    granted    BIGINT NOT NULL DEFAULT 0,
    -- Grants tried so far.
    attempts   BIGINT NOT NULL DEFAULT 0,
    -- Unix milliseconds the role was earned.
    earned_at  BIGINT NOT NULL,
    PRIMARY KEY (guild_id, user_id, role_id),
    FOREIGN KEY (guild_id, role_id) REFERENCES rewards (guild_id, role_id) ON DELETE CASCADE
);
