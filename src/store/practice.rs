//! `/practice` runs: each finished run of a player, kept for their own practice record.
//! Practice never counts on a server's leaderboard, so runs belong to no server.

use sqlx::Row;

use super::{Store, StoreError};
use crate::quiz::UnixMillis;

/// A player's practice, over every run they finished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PracticeRecord {
    /// Runs finished.
    pub runs: u64,
    /// Questions answered in them.
    pub questions: u64,
    /// Right answers.
    pub correct: u64,
    /// The best run, `(right, questions)`: the highest share right, then the longest.
    pub best: (u64, u64),
}

/// A finished run, as [`Store::finish_practice`] takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PracticeRun {
    pub user_id: u64,
    /// The run's seed: a run saved twice counts once.
    pub seed: u64,
    pub questions: u8,
    pub correct: u8,
    pub finished_at: UnixMillis,
}

/// Discord ids and seeds are unsigned; the bits are stored as they are.
fn int(value: u64) -> i64 {
    value as i64
}

fn count(row: &sqlx::any::AnyRow, column: &str) -> Result<u64, StoreError> {
    // PostgreSQL sums to NUMERIC: the query casts its sums back to BIGINT.
    let value: i64 = row.try_get(column)?;
    u64::try_from(value).map_err(|_| StoreError::Unreadable(format!("the count {value}")))
}

impl Store {
    /// Saves `run` (once, however often it is saved) and returns the player's record
    /// with it.
    pub async fn finish_practice(&self, run: PracticeRun) -> Result<PracticeRecord, StoreError> {
        sqlx::query(
            "INSERT INTO practice_runs (user_id, seed, questions, correct, finished_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, seed) DO NOTHING",
        )
        .bind(int(run.user_id))
        .bind(int(run.seed))
        .bind(i64::from(run.questions))
        .bind(i64::from(run.correct.min(run.questions)))
        .bind(int(run.finished_at.0))
        .execute(self.pool())
        .await?;
        let record = self.practice_record(run.user_id).await?;
        record.ok_or_else(|| StoreError::Unreadable("a practice run that was not saved".into()))
    }

    /// A player's practice record; `None` before their first finished run.
    pub async fn practice_record(
        &self,
        user_id: u64,
    ) -> Result<Option<PracticeRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS runs, CAST(SUM(questions) AS BIGINT) AS questions,
                    CAST(SUM(correct) AS BIGINT) AS correct,
                    (SELECT correct FROM practice_runs b WHERE b.user_id = $1
                     ORDER BY b.correct * 1000 / b.questions DESC, b.questions DESC LIMIT 1)
                        AS best_correct,
                    (SELECT questions FROM practice_runs b WHERE b.user_id = $1
                     ORDER BY b.correct * 1000 / b.questions DESC, b.questions DESC LIMIT 1)
                        AS best_questions
             FROM practice_runs WHERE user_id = $1",
        )
        .bind(int(user_id))
        .fetch_one(self.pool())
        .await?;
        let runs = count(&row, "runs")?;
        if runs == 0 {
            return Ok(None);
        }
        Ok(Some(PracticeRecord {
            runs,
            questions: count(&row, "questions")?,
            correct: count(&row, "correct")?,
            best: (count(&row, "best_correct")?, count(&row, "best_questions")?),
        }))
    }
}
