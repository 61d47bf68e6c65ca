-- Weekly recaps: a server may turn on a recap of its past week, posted on Mondays at its
-- daily-post time. A recap goes through the daily posts' ledger, which now keys a post
-- by its kind as well: 'fact' for the daily post, 'recap' for the weekly one.
-- From this migration on, `totals` weeks start on Monday 00:00 in the server's
-- daily-post time zone (UTC without one), not always in UTC.

ALTER TABLE daily_schedules ADD COLUMN recap INTEGER NOT NULL DEFAULT 0 CHECK (recap IN (0, 1));

CREATE TABLE daily_posts_by_kind (
    guild_id   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('fact', 'recap')),
    -- YYYY-MM-DD in the server's time zone.
    local_date TEXT NOT NULL,
    -- Unix seconds the post was due.
    due_at     INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('claimed', 'released', 'sent', 'skipped')),
    -- Claims taken so far: the attempt number of the current one.
    attempts   INTEGER NOT NULL DEFAULT 0,
    -- Unix seconds of the last change.
    updated_at INTEGER NOT NULL,
    -- Discord's id of the message, once sent.
    message_id INTEGER,
    -- What was posted: onthisday:<event ids>, event:<id>, quote:<id> or recap:<week>.
    subject    TEXT,
    -- Why it was skipped.
    note       TEXT,
    PRIMARY KEY (guild_id, kind, local_date)
) WITHOUT ROWID;

INSERT INTO daily_posts_by_kind
    (guild_id, kind, local_date, due_at, state, attempts, updated_at, message_id, subject, note)
SELECT guild_id, 'fact', local_date, due_at, state, attempts, updated_at, message_id, subject, note
FROM daily_posts;

DROP TABLE daily_posts;
ALTER TABLE daily_posts_by_kind RENAME TO daily_posts;

-- A sent post stays sent: no claim, release or skip can reopen it.
CREATE TRIGGER daily_posts_sent_is_final
BEFORE UPDATE ON daily_posts
WHEN OLD.state = 'sent'
BEGIN
    SELECT RAISE(ABORT, 'daily post already sent');
END;
