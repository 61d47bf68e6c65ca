-- Running totals per player, kept in the reveal's transaction, so that leaderboards and
-- stats read one row per player instead of summing every answer. `period` is 0 for all
-- time, else the week's start (Monday 00:00 UTC, in Unix milliseconds).

CREATE TABLE totals (
    guild_id    INTEGER NOT NULL,
    period      INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    correct     INTEGER NOT NULL,
    answers     INTEGER NOT NULL,
    games       INTEGER NOT NULL,            -- quizzes and /whosaid questions answered in
    best_streak INTEGER NOT NULL,
    PRIMARY KEY (guild_id, period, user_id)
);

CREATE INDEX totals_by_points ON totals (guild_id, period, points DESC, correct DESC, user_id);

-- Whether an answer is a player's first in its game, at the reveal.
CREATE INDEX answers_by_game_player ON answers (quiz_id, user_id);

-- The answers saved before this migration. 345600000 ms is Monday 5 January 1970, and
-- 604800000 ms a week.
INSERT INTO totals (guild_id, period, user_id, points, correct, answers, games, best_streak)
SELECT guild_id, 0, user_id, SUM(points), SUM(correct), COUNT(*), COUNT(DISTINCT quiz_id),
       MAX(streak)
FROM answers GROUP BY guild_id, user_id;

INSERT INTO totals (guild_id, period, user_id, points, correct, answers, games, best_streak)
SELECT guild_id, week, user_id, SUM(points), SUM(correct), COUNT(*), COUNT(DISTINCT quiz_id),
       MAX(streak)
FROM (SELECT *, answered_at - ((answered_at - 345600000) % 604800000) AS week FROM answers)
GROUP BY guild_id, week, user_id;
