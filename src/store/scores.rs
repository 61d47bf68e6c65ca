//! Trivia scores: each question's answers (one transaction at its reveal), the
//! quizzes in flight (so a restart can mark their messages interrupted), leaderboards
//! and players' stats, per server.

use sqlx::Row;
use sqlx::any::AnyRow;

use chrono_tz::Tz;

use super::{Shards, Store, StoreError};
use crate::daily::week_start;
use crate::quiz::{AnswerResult, InFlight, QuestionResults, Save, UnixMillis};

/// Discord ids and times are unsigned; SQL integers are signed 64-bit. Ids stay
/// below 2^63, so the cast keeps them as they are and reads them back unchanged.
fn int(value: u64) -> i64 {
    value as i64
}

fn uint(value: i64) -> u64 {
    value as u64
}

/// The `totals` period of all time.
const ALL_TIME: i64 = 0;

/// The time zone `guild_id`'s weeks are counted in: its daily posts' zone, else UTC.
async fn server_zone<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    guild_id: u64,
) -> Result<Tz, StoreError> {
    let zone: Option<String> =
        sqlx::query_scalar("SELECT time_zone FROM daily_schedules WHERE guild_id = $1")
            .bind(int(guild_id))
            .fetch_optional(executor)
            .await?;
    Ok(match zone {
        None => Tz::UTC,
        Some(name) => name.parse().unwrap_or_else(|_| {
            // Scores must still save: count this server's weeks in UTC.
            tracing::warn!(guild_id, zone = name, "unreadable time zone; weeks in UTC");
            Tz::UTC
        }),
    })
}

/// The `totals` period of the week holding `at` in `zone`: the Unix milliseconds of
/// its start.
fn week_period(at: UnixMillis, zone: Tz) -> i64 {
    week_start(at.to_datetime(), zone).timestamp_millis()
}

/// Answers saved per statement at a reveal: a few statements for any crowd, each well
/// under the databases' limits on bound values (SQLite 32 766, PostgreSQL 65 535).
const ROWS_PER_STATEMENT: usize = 200;

/// `rows` rows of `columns` numbered placeholders each, from `$1`: `($1, $2), ($3, $4)`.
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let row: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A statement made of the constant text around [`placeholders`]: nothing of the input
/// is in its text. Not kept prepared: its text changes with the number of rows.
fn built(sql: String) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false)
}

/// The `user_id` column of the rows `query` returns, in `tx`.
async fn user_ids(
    query: sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments>,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<Vec<i64>, StoreError> {
    let rows = query.fetch_all(&mut **tx).await?;
    let ids = rows
        .iter()
        .map(|row| row.try_get("user_id"))
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Saves `answers` (some of a question's, each player at most once) with the running
/// totals of all time and of the server's week `week`, and players' names, in `tx`: a
/// few statements whatever their number.
async fn record_answers(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    results: &QuestionResults,
    week: i64,
    answers: &[&AnswerResult],
) -> Result<(), StoreError> {
    // The answers not saved before (a reveal saved twice counts once).
    let mut saved = built(format!(
        "INSERT INTO answers (quiz_id, question, guild_id, user_id, correct, points, streak,
                              answered_at)
         VALUES {}
         ON CONFLICT (quiz_id, question, user_id) DO NOTHING
         RETURNING user_id",
        placeholders(answers.len(), 8)
    ));
    for answer in answers {
        saved = saved
            .bind(int(results.quiz_id))
            .bind(i64::from(results.question))
            .bind(int(results.guild_id))
            .bind(int(answer.user_id))
            .bind(i64::from(answer.correct))
            .bind(i64::from(answer.points))
            .bind(i64::from(answer.streak))
            .bind(int(results.at.0));
    }
    let saved = user_ids(saved, tx).await?;
    let new: Vec<&AnswerResult> = answers
        .iter()
        .copied()
        .filter(|answer| saved.contains(&int(answer.user_id)))
        .collect();
    if !new.is_empty() {
        // Whose answer is their first in this game: it counts one more game played.
        let mut counted = built(format!(
            "SELECT user_id FROM answers WHERE quiz_id = $1 AND user_id IN ({})
             GROUP BY user_id HAVING COUNT(*) = 1",
            (2..new.len() + 2)
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(int(results.quiz_id));
        for answer in &new {
            counted = counted.bind(int(answer.user_id));
        }
        let first = user_ids(counted, tx).await?;
        let periods = [ALL_TIME, week];
        let mut totals = built(format!(
            "INSERT INTO totals (guild_id, period, user_id, points, correct, answers, games,
                                 best_streak)
             VALUES {}
             ON CONFLICT (guild_id, period, user_id) DO UPDATE SET
                 points = totals.points + excluded.points,
                 correct = totals.correct + excluded.correct,
                 answers = totals.answers + excluded.answers,
                 games = totals.games + excluded.games,
                 best_streak = CASE WHEN excluded.best_streak > totals.best_streak
                     THEN excluded.best_streak ELSE totals.best_streak END",
            placeholders(new.len() * periods.len(), 8)
        ));
        for answer in &new {
            for period in periods {
                totals = totals
                    .bind(int(results.guild_id))
                    .bind(period)
                    .bind(int(answer.user_id))
                    .bind(i64::from(answer.points))
                    .bind(i64::from(answer.correct))
                    .bind(1i64)
                    .bind(i64::from(first.contains(&int(answer.user_id))))
                    .bind(i64::from(answer.streak));
            }
        }
        totals.execute(&mut **tx).await?;
    }
    let mut players = built(format!(
        "INSERT INTO players (guild_id, user_id, name) VALUES {}
         ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name",
        placeholders(answers.len(), 3)
    ));
    for answer in answers {
        players = players
            .bind(int(results.guild_id))
            .bind(int(answer.user_id))
            .bind(answer.user_name.clone());
    }
    players.execute(&mut **tx).await?;
    Ok(())
}

/// One line of a leaderboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderboardRow {
    /// Place, from 1: one more than the players with more points, so players tied on
    /// points share it (1, 2, 2, 4).
    pub rank: u32,
    pub user_id: u64,
    /// Their name when they last answered.
    pub name: String,
    /// Points in the period.
    pub points: u64,
    /// Right answers in the period.
    pub correct: u64,
    /// Answers in the period.
    pub answers: u64,
}

/// A leaderboard line as read (`user_id, name, points, correct, answers`), at `rank`.
fn leaderboard_row(row: &AnyRow, rank: u64) -> Result<LeaderboardRow, sqlx::Error> {
    Ok(LeaderboardRow {
        rank: u32::try_from(rank).unwrap_or(u32::MAX),
        user_id: uint(row.try_get("user_id")?),
        name: row.try_get("name")?,
        points: uint(row.try_get("points")?),
        correct: uint(row.try_get("correct")?),
        answers: uint(row.try_get("answers")?),
    })
}

/// The longest run of right answers in a period, and whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BestStreak {
    pub user_id: u64,
    /// Their name when they last answered.
    pub name: String,
    /// Right answers in a row.
    pub streak: u64,
}

/// A page of a leaderboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderboardPage {
    /// The rows of this page, best first.
    pub rows: Vec<LeaderboardRow>,
    /// This page, from 1 (a page past the end shows the last).
    pub page: u32,
    /// Number of pages (at least 1).
    pub pages: u32,
    /// Players with at least one answer in the period.
    pub players: u64,
}

/// One player's record in a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayerStats {
    pub user_id: u64,
    /// Their name when they last answered.
    pub name: String,
    /// Quizzes and `/whosaid` questions they answered in.
    pub games: u64,
    pub answers: u64,
    pub correct: u64,
    /// Longest run of right answers within a quiz.
    pub best_streak: u64,
    /// All their points.
    pub points: u64,
    /// Their place on the all-time leaderboard, from 1.
    pub rank: u64,
}

impl Store {
    /// Carries out one [`Save`] effect of the game.
    pub async fn save(&self, save: &Save) -> Result<(), StoreError> {
        match save {
            Save::InFlight(quiz) => self.record_in_flight(quiz).await,
            Save::Results(results) => self.record_results(results).await,
            Save::Finished { quiz_id, at } => self.finish_quiz(*quiz_id, *at, false).await,
        }
    }

    /// Saves a question's answers, and the players' names, in one transaction: after a
    /// crash either all of them count or none. The question is no longer in flight:
    /// a restart must not mark its revealed message interrupted.
    pub async fn record_results(&self, results: &QuestionResults) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO quizzes (id, guild_id, channel_id, started_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(int(results.quiz_id))
        .bind(int(results.guild_id))
        .bind(int(results.channel_id))
        .bind(int(results.started_at.0))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE quizzes SET message_id = NULL, question = NULL, labels = NULL
             WHERE id = $1 AND question = $2",
        )
        .bind(int(results.quiz_id))
        .bind(i64::from(results.question))
        .execute(&mut *tx)
        .await?;
        // One answer per player and question: a statement may not change a row twice.
        let mut players = std::collections::HashSet::new();
        let answers: Vec<&AnswerResult> = results
            .answers
            .iter()
            .filter(|answer| players.insert(answer.user_id))
            .collect();
        let week = week_period(results.at, server_zone(&mut *tx, results.guild_id).await?);
        for answers in answers.chunks(ROWS_PER_STATEMENT) {
            record_answers(&mut tx, results, week, answers).await?;
        }
        tx.commit().await?;
        tracing::debug!(
            quiz = results.quiz_id,
            question = results.question,
            answers = results.answers.len(),
            "results saved"
        );
        Ok(())
    }

    /// Records the message of a quiz's current question, replacing the previous one.
    pub async fn record_in_flight(&self, quiz: &InFlight) -> Result<(), StoreError> {
        let labels = serde_json::to_string(&quiz.labels).unwrap_or_else(|_| "[]".to_string());
        sqlx::query(
            "INSERT INTO quizzes (id, guild_id, channel_id, started_at, message_id, question,
                                  labels)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (id) DO UPDATE SET message_id = excluded.message_id,
                 question = excluded.question, labels = excluded.labels",
        )
        .bind(int(quiz.quiz_id))
        .bind(int(quiz.guild_id))
        .bind(int(quiz.channel_id))
        .bind(int(quiz.started_at.0))
        .bind(int(quiz.message_id))
        .bind(i64::from(quiz.question))
        .bind(labels)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Marks a quiz ended at `at`, normally or (`interrupted`) by a restart. Its
    /// answers stay.
    pub async fn finish_quiz(
        &self,
        quiz_id: u64,
        at: UnixMillis,
        interrupted: bool,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE quizzes SET ended_at = $1, interrupted = $2 WHERE id = $3 AND ended_at IS NULL",
        )
        .bind(int(at.0))
        .bind(i64::from(interrupted))
        .bind(int(quiz_id))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Marks every quiz of `shards`' servers that never ended as interrupted, at
    /// start-up: a restart cut them short. Returns how many there were.
    pub async fn interrupt_unfinished(
        &self,
        at: UnixMillis,
        shards: Shards,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE quizzes SET ended_at = $1, interrupted = 1
             WHERE ended_at IS NULL AND (guild_id >> 22) % $2 BETWEEN $3 AND $4",
        )
        .bind(int(at.0))
        .bind(i64::from(shards.count))
        .bind(i64::from(shards.first))
        .bind(i64::from(shards.last))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Quizzes of `shards`' servers that never ended and have an open question's
    /// message up: at start-up, these were cut short by a restart. Their messages are
    /// to be edited with [`crate::quiz::interrupted_reply`], then
    /// [`Store::interrupt_unfinished`].
    pub async fn quizzes_in_flight(&self, shards: Shards) -> Result<Vec<InFlight>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, guild_id, channel_id, started_at, message_id, question, labels
             FROM quizzes WHERE ended_at IS NULL AND message_id IS NOT NULL
                 AND (guild_id >> 22) % $1 BETWEEN $2 AND $3
             ORDER BY started_at",
        )
        .bind(i64::from(shards.count))
        .bind(i64::from(shards.first))
        .bind(i64::from(shards.last))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let labels: Option<String> = row.try_get("labels")?;
                let question: i64 = row.try_get("question")?;
                Ok(InFlight {
                    quiz_id: uint(row.try_get("id")?),
                    guild_id: uint(row.try_get("guild_id")?),
                    channel_id: uint(row.try_get("channel_id")?),
                    started_at: UnixMillis(uint(row.try_get("started_at")?)),
                    message_id: uint(row.try_get("message_id")?),
                    question: u8::try_from(question).unwrap_or(u8::MAX),
                    labels: labels
                        .and_then(|text| serde_json::from_str(&text).ok())
                        .unwrap_or_default(),
                })
            })
            .collect()
    }

    /// The `totals` period of all time, or (`week`) of the server's week holding that
    /// instant.
    async fn period(&self, guild_id: u64, week: Option<UnixMillis>) -> Result<i64, StoreError> {
        Ok(match week {
            None => ALL_TIME,
            Some(at) => week_period(at, server_zone(self.pool(), guild_id).await?),
        })
    }

    /// A page of a server's leaderboard, of all time or (`week`) of the server's week
    /// holding that instant (see [`crate::daily::week_start`]), best first: by points,
    /// then right answers, then user id. Players with equal points share a rank. Read from the running
    /// totals: one row per player, whatever the number of answers.
    pub async fn leaderboard(
        &self,
        guild_id: u64,
        week: Option<UnixMillis>,
        page: u32,
        per_page: u32,
    ) -> Result<LeaderboardPage, StoreError> {
        let period = self.period(guild_id, week).await?;
        let per_page = per_page.max(1);
        let rows = self
            .leaderboard_rows(guild_id, period, page, per_page)
            .await?;
        // The players are counted in the page's query; a page past the end (or an empty
        // leaderboard) has no row to carry the count.
        let players = match rows.first() {
            Some(row) => uint(row.try_get("players")?),
            None => uint(
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM totals WHERE guild_id = $1 AND period = $2",
                )
                .bind(int(guild_id))
                .bind(period)
                .fetch_one(self.pool())
                .await?,
            ),
        };
        let pages = u32::try_from(players.div_ceil(u64::from(per_page)))
            .unwrap_or(u32::MAX)
            .max(1);
        let page = page.clamp(1, pages);
        let rows = if rows.is_empty() && players > 0 {
            self.leaderboard_rows(guild_id, period, page, per_page)
                .await?
        } else {
            rows
        };
        // A rank is one more than the players with more points: counted in the query
        // for the page's first line only. Below it, a line with fewer points than the
        // one above is ranked by its place, and a tie shares the rank above.
        let offset = (page - 1) * per_page;
        let mut lines: Vec<LeaderboardRow> = Vec::with_capacity(rows.len());
        for (place, row) in (u64::from(offset) + 1..).zip(&rows) {
            let points: i64 = row.try_get("points")?;
            let rank = match lines.last() {
                Some(above) if above.points == uint(points) => u64::from(above.rank),
                Some(_) => place,
                None => 1 + uint(row.try_get("ahead")?),
            };
            lines.push(leaderboard_row(row, rank)?);
        }
        Ok(LeaderboardPage {
            rows: lines,
            page,
            pages,
            players,
        })
    }

    /// The lines of page `page` of a leaderboard, in one statement, each with the count
    /// of players in the period (`players`) and of players with more points than the
    /// page's first line (`ahead`). The lines skipped to reach the page are read from
    /// the points index alone; only the page's own lines are read from the table.
    async fn leaderboard_rows(
        &self,
        guild_id: u64,
        period: i64,
        page: u32,
        per_page: u32,
    ) -> Result<Vec<AnyRow>, StoreError> {
        let offset = (page.max(1) - 1) * per_page;
        // `CROSS JOIN` keeps SQLite's join order (the page's ten ids, then each one's row
        // by primary key); PostgreSQL plans it as an inner join.
        let rows = sqlx::query(
            "SELECT t.user_id, COALESCE(p.name, '') AS name, t.points, t.correct, t.answers,
                    (SELECT COUNT(*) FROM totals WHERE guild_id = $1 AND period = $2)
                        AS players,
                    (SELECT COUNT(*) FROM totals
                     WHERE guild_id = $1 AND period = $2 AND points >
                         (SELECT points FROM totals WHERE guild_id = $1 AND period = $2
                          ORDER BY points DESC, correct DESC, user_id LIMIT 1 OFFSET $4))
                        AS ahead
             FROM (SELECT user_id FROM totals
                   WHERE guild_id = $1 AND period = $2
                   ORDER BY points DESC, correct DESC, user_id LIMIT $3 OFFSET $4) AS k
             CROSS JOIN totals t
             LEFT JOIN players p ON p.guild_id = $1 AND p.user_id = k.user_id
             WHERE t.guild_id = $1 AND t.period = $2 AND t.user_id = k.user_id
             ORDER BY t.points DESC, t.correct DESC, t.user_id",
        )
        .bind(int(guild_id))
        .bind(period)
        .bind(i64::from(per_page))
        .bind(i64::from(offset))
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// A player's line on the leaderboard of all time or (`week`) of the server's week
    /// holding that instant; `None` when they have no answer in it.
    pub async fn standing(
        &self,
        guild_id: u64,
        week: Option<UnixMillis>,
        user_id: u64,
    ) -> Result<Option<LeaderboardRow>, StoreError> {
        let period = self.period(guild_id, week).await?;
        let Some(row) = self.player_row(guild_id, period, user_id).await? else {
            return Ok(None);
        };
        let ahead = uint(row.try_get("ahead")?);
        Ok(Some(leaderboard_row(&row, 1 + ahead)?))
    }

    /// A player's totals in a period, with their name and the count of players ahead
    /// of them (`ahead`); `None` when they have no answer in it.
    async fn player_row(
        &self,
        guild_id: u64,
        period: i64,
        user_id: u64,
    ) -> Result<Option<AnyRow>, StoreError> {
        let row = sqlx::query(
            "SELECT t.user_id, COALESCE(p.name, '') AS name, t.points, t.correct, t.answers,
                    t.games, t.best_streak,
                    (SELECT COUNT(*) FROM totals a
                     WHERE a.guild_id = t.guild_id AND a.period = t.period
                         AND a.points > t.points) AS ahead
             FROM totals t
             LEFT JOIN players p ON p.guild_id = t.guild_id AND p.user_id = t.user_id
             WHERE t.guild_id = $1 AND t.period = $2 AND t.user_id = $3",
        )
        .bind(int(guild_id))
        .bind(period)
        .bind(int(user_id))
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// The longest run of right answers on the leaderboard of all time or (`week`) of
    /// the server's week holding that instant; `None` when nobody answered a
    /// question right in it. Ties go to the player with more points.
    pub async fn best_streak(
        &self,
        guild_id: u64,
        week: Option<UnixMillis>,
    ) -> Result<Option<BestStreak>, StoreError> {
        let period = self.period(guild_id, week).await?;
        let row = sqlx::query(
            "SELECT t.user_id, COALESCE(p.name, '') AS name, t.best_streak
             FROM totals t
             LEFT JOIN players p ON p.guild_id = t.guild_id AND p.user_id = t.user_id
             WHERE t.guild_id = $1 AND t.period = $2 AND t.best_streak > 0
             ORDER BY t.best_streak DESC, t.points DESC, t.user_id
             LIMIT 1",
        )
        .bind(int(guild_id))
        .bind(period)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(BestStreak {
                user_id: uint(row.try_get("user_id")?),
                name: row.try_get("name")?,
                streak: uint(row.try_get("best_streak")?),
            })
        })
        .transpose()
    }

    /// Starts a server's scores over: of all time (every answer and total, weekly ones
    /// included), or (`week`) of the server's week holding that instant only, which
    /// leaves all-time points as they are. Players' names and quizzes stay. Returns how
    /// many players had scores in what was erased.
    pub async fn reset_scores(
        &self,
        guild_id: u64,
        week: Option<UnixMillis>,
    ) -> Result<u64, StoreError> {
        let period = self.period(guild_id, week).await?;
        let mut tx = self.pool().begin().await?;
        let players: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM totals WHERE guild_id = $1 AND period = $2")
                .bind(int(guild_id))
                .bind(period)
                .fetch_one(&mut *tx)
                .await?;
        if week.is_some() {
            sqlx::query("DELETE FROM totals WHERE guild_id = $1 AND period = $2")
                .bind(int(guild_id))
                .bind(period)
                .execute(&mut *tx)
                .await?;
        } else {
            for statement in [
                "DELETE FROM totals WHERE guild_id = $1",
                "DELETE FROM answers WHERE guild_id = $1",
            ] {
                sqlx::query(statement)
                    .bind(int(guild_id))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        tracing::info!(guild_id, period, players, "scores reset");
        Ok(uint(players))
    }

    /// A player's record in a server; `None` when they never answered there.
    pub async fn stats(
        &self,
        guild_id: u64,
        user_id: u64,
    ) -> Result<Option<PlayerStats>, StoreError> {
        let Some(row) = self.player_row(guild_id, ALL_TIME, user_id).await? else {
            return Ok(None);
        };
        let name: String = row.try_get("name")?;
        Ok(Some(PlayerStats {
            user_id,
            name,
            games: uint(row.try_get("games")?),
            answers: uint(row.try_get("answers")?),
            correct: uint(row.try_get("correct")?),
            best_streak: uint(row.try_get("best_streak")?),
            points: uint(row.try_get("points")?),
            rank: 1 + uint(row.try_get("ahead")?),
        }))
    }
}
