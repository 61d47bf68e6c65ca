-- Trivia: quizzes (and /whosaid questions), every answer, players' latest names.
-- Times are Unix milliseconds; Discord ids are stored as signed 64-bit integers.
-- The same schema as sqlite/0001_scores.sql, in PostgreSQL's types.

CREATE TABLE quizzes (
    id          BIGINT PRIMARY KEY,          -- the id the quiz's buttons carry
    guild_id    BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT,                      -- NULL while the quiz is in flight
    interrupted BIGINT NOT NULL DEFAULT 0,   -- 1 when a restart ended it
    message_id  BIGINT,                      -- the current question's message
    question    BIGINT,                      -- its number, from 1
    labels      TEXT                         -- its button labels, a JSON array
);

CREATE INDEX quizzes_in_flight ON quizzes (id) WHERE ended_at IS NULL;

-- One row per player per question, written with the question's other answers in one
-- transaction at its reveal.
CREATE TABLE answers (
    quiz_id     BIGINT NOT NULL REFERENCES quizzes (id),
    question    BIGINT NOT NULL,
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    correct     BIGINT NOT NULL,
    points      BIGINT NOT NULL,
    streak      BIGINT NOT NULL,             -- right answers in a row, this one included
    answered_at BIGINT NOT NULL,             -- when the question closed
    PRIMARY KEY (quiz_id, question, user_id)
);

CREATE INDEX answers_by_time ON answers (guild_id, answered_at);
CREATE INDEX answers_by_user ON answers (guild_id, user_id);

CREATE TABLE players (
    guild_id BIGINT NOT NULL,
    user_id  BIGINT NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
