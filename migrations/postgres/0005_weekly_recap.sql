-- Weekly recaps: a server may turn on a recap of its past week, posted on Mondays at its
-- daily-post time. A recap goes through the daily posts' ledger, which now keys a post
-- by its kind as well: 'fact' for the daily post, 'recap' for the weekly one.
-- From this migration on, `totals` weeks start on Monday 00:00 in the server's
-- daily-post time zone (UTC without one), not always in UTC.

ALTER TABLE daily_schedules ADD COLUMN recap INTEGER NOT NULL DEFAULT 0 CHECK (recap IN (0, 1));

ALTER TABLE daily_posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'fact'
    CHECK (kind IN ('fact', 'recap'));
ALTER TABLE daily_posts ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE daily_posts DROP CONSTRAINT daily_posts_pkey;
ALTER TABLE daily_posts ADD PRIMARY KEY (guild_id, kind, local_date);
