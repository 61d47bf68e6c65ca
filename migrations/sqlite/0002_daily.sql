-- Daily posts: each server's schedule, where its rotation of facts stands, and the
-- ledger that lets a server's post for a local date go out at most once.

-- One row per server that turned daily posts on; `/daily off` deletes it.
CREATE TABLE daily_schedules (
    guild_id   INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    -- HH:MM on a 24-hour clock, in time_zone.
    local_time TEXT NOT NULL CHECK (local_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    -- An IANA name, e.g. Europe/London.
    time_zone  TEXT NOT NULL,
    -- Why posting stopped (403/404 from Discord), shown in /daily status; NULL while running.
    paused     TEXT,
    -- Unix seconds of the last /daily set: posts due before it are not owed.
    since      INTEGER NOT NULL
);

-- Where each server's rotation stands. Kept after /daily off, so that turning posts
-- back on continues the rotation instead of repeating it.
CREATE TABLE daily_rotations (
    guild_id INTEGER PRIMARY KEY,
    seed     INTEGER NOT NULL,
    cycle    INTEGER NOT NULL CHECK (cycle >= 0),
    position INTEGER NOT NULL CHECK (position >= 0),
    size     INTEGER NOT NULL CHECK (size >= 0)
);

-- The ledger: one row per server and local date, ever. A post is claimed before it is
-- sent and marked sent after; a retriable failure releases the claim; a post too late
-- to send, refused for good or lost to a pause is skipped.
CREATE TABLE daily_posts (
    guild_id   INTEGER NOT NULL,
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
    -- What was posted: onthisday:<event ids>, event:<id> or quote:<id>.
    subject    TEXT,
    -- Why it was skipped.
    note       TEXT,
    PRIMARY KEY (guild_id, local_date)
) WITHOUT ROWID;

-- A sent post stays sent: no claim, release or skip can reopen it.
CREATE TRIGGER daily_posts_sent_is_final
BEFORE UPDATE ON daily_posts
WHEN OLD.state = 'sent'
BEGIN
    SELECT RAISE(ABORT, 'daily post already sent');
END;
