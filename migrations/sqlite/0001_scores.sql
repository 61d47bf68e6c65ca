-- Trivia: quizzes (and /whosaid questions), every answer, players' latest names.
-- Times are Unix milliseconds; Discord ids are stored as signed 64-bit integers.

CREATE TABLE quizzes (
    id          INTEGER PRIMARY KEY,         -- the id the quiz's buttons carry
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,                     -- NULL while the quiz is in flight
    interrupted INTEGER NOT NULL DEFAULT 0,  -- 1 when a restart ended it
    message_id  INTEGER,                     -- the current question's message
    question    INTEGER,                     -- its number, from 1
    labels      TEXT                         -- its button labels, a JSON array
);

CREATE INDEX quizzes_in_flight ON quizzes (id) WHERE ended_at IS NULL;

-- One row per player per question, written with the question's other answers in one
-- transaction at its reveal.
CREATE TABLE answers (
    quiz_id     INTEGER NOT NULL REFERENCES quizzes (id),
    question    INTEGER NOT NULL,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    correct     INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    streak      INTEGER NOT NULL,            -- right answers in a row, this one included
    answered_at INTEGER NOT NULL,            -- when the question closed
    PRIMARY KEY (quiz_id, question, user_id)
);

CREATE INDEX answers_by_time ON answers (guild_id, answered_at);
CREATE INDEX answers_by_user ON answers (guild_id, user_id);

CREATE TABLE players (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
