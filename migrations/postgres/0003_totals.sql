-- Running totals per player, kept in the reveal's transaction, so that leaderboards and
-- stats read one row per player instead of summing every answer. `period` is 0 for all
-- time, else the week's start (Monday 00:00 UTC, in Unix milliseconds).
-- The same schema as sqlite/0003_totals.sql, in PostgreSQL's types.

CREATE TABLE totals (
    guild_id    BIGINT NOT NULL,
    period      BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    points      BIGINT NOT NULL,
    correct     BIGINT NOT NULL,
    answers     BIGINT NOT NULL,
    games       BIGINT NOT NULL,             -- quizzes and /whosaid questions answered in
    best_streak BIGINT NOT NULL,
    PRIMARY KEY (guild_id, period, user_id)
);

CREATE INDEX totals_by_points ON totals (guild_id, period, points DESC, correct DESC, user_id);

-- Whether an answer is a player's first in its game, at the reveal.
CREATE INDEX answers_by_game_player ON answers (quiz_id, user_id);

-- Unlike SQLite's, this migration computes no totals from earlier answers: PostgreSQL
-- support arrived with this schema, so no PostgreSQL database holds answers from before.
