//! Role rewards, as the core runs them: once a reveal's answers are saved, the roles
//! its players are owed (see [`crate::store::Rewards::owed`]) become grants for the
//! front end, and a line of the reveal names who earned which; each grant's outcome
//! comes back as [`super::Input::Granted`] and goes into the ledger. A failed grant
//! is logged and stays owed, so the player's next reveal tries it again.

use crate::daily::Fault;
use crate::quiz::QuestionResults;
use crate::reply::limits::{EMBED_TOTAL_MAX, FIELD_VALUE_MAX};
use crate::reply::{Reply, Text, Tone};
use crate::store::Earned;

use super::{App, Delivery, Effect};

/// The reveal's field naming who earned a role.
const FIELD: &str = "Role rewards";

/// A role for the front end to give a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    pub guild_id: u64,
    pub user_id: u64,
    pub role_id: u64,
    /// The all-time points that earned it.
    pub points: u64,
}

impl Grant {
    /// Why the role is given, for the server's audit log.
    pub fn reason(&self) -> String {
        format!(
            "Reached {} all-time trivia points (feudbot role reward)",
            self.points
        )
    }
}

/// What a reveal's players earned: the line for the reveal, and the grants.
pub(super) struct Earnings {
    /// Who earned which role at this reveal; empty when nobody did.
    pub announced: Vec<Earned>,
    pub grants: Vec<Effect>,
}

impl App {
    /// The roles the players of a saved reveal are owed. A database error is logged
    /// and owes nothing now: the next reveal finds the same roles owed.
    pub(super) async fn earnings(&self, results: &QuestionResults) -> Earnings {
        let players: Vec<u64> = results.answers.iter().map(|a| a.user_id).collect();
        let owed = match self.store().await {
            Ok(store) => {
                store
                    .rewards()
                    .owed(results.guild_id, &players, results.at)
                    .await
            }
            Err(error) => Err(error),
        };
        let owed = owed.unwrap_or_else(|error| {
            tracing::error!(%error, guild_id = results.guild_id, "cannot read the role rewards owed");
            Vec::new()
        });
        Earnings {
            announced: owed.iter().copied().filter(|e| e.first).collect(),
            grants: owed
                .iter()
                .map(|e| {
                    Effect::GrantRole(Grant {
                        guild_id: results.guild_id,
                        user_id: e.user_id,
                        role_id: e.role_id,
                        points: e.points,
                    })
                })
                .collect(),
        }
    }

    /// Records how a grant went: given for good, or logged and left owed.
    pub(super) async fn granted(&self, grant: Grant, outcome: Result<(), Fault>) {
        let Grant {
            guild_id,
            user_id,
            role_id,
            ..
        } = grant;
        let recorded = match self.store().await {
            Ok(store) => {
                store
                    .rewards()
                    .tried(guild_id, user_id, role_id, outcome.is_ok())
                    .await
            }
            Err(error) => Err(error),
        };
        match (outcome, recorded) {
            (Ok(()), Ok(_)) => tracing::info!(guild_id, user_id, role_id, "role reward given"),
            (Err(fault), Ok(attempts)) => tracing::warn!(
                guild_id,
                user_id,
                role_id,
                attempts,
                ?fault,
                "a role reward was not given; it is tried again at the player's next reveal"
            ),
            (_, Err(error)) => tracing::error!(
                %error,
                guild_id,
                user_id,
                role_id,
                "cannot record a role grant; it is tried again at the player's next reveal"
            ),
        }
    }
}

/// `reveal` with a field naming who earned which role, as many as fit.
pub(super) fn announce(reveal: Reply, earned: &[Earned]) -> Reply {
    let room = EMBED_TOTAL_MAX
        .saturating_sub(reveal.embed_length() + FIELD.len())
        .min(FIELD_VALUE_MAX);
    reveal.field(FIELD, lines(earned, room), false)
}

/// A message of its own saying who earned which role, for a reveal that is not
/// edited in with its results (its question's message was never confirmed).
pub(super) fn announcement(
    channel_id: u64,
    quiz_id: u64,
    question: u8,
    earned: &[Earned],
) -> Effect {
    Effect::Post {
        channel_id,
        reply: Reply::new(Tone::Quiz, FIELD).text(lines(earned, FIELD_VALUE_MAX)),
        tag: None,
        nonce: format!("r{quiz_id:x}.{question}"),
        delivery: Delivery::Retried,
    }
}

/// One line per role earned, `@member earned @role (100 points)`, within `room`
/// characters: those that do not fit are counted at the end.
fn lines(earned: &[Earned], room: usize) -> Text {
    let more = |count: usize| format!("\n…and {count} more");
    let mut text = Text::new();
    for (i, e) in earned.iter().enumerate() {
        let line = Text::from(if i > 0 { "\n" } else { "" })
            .plain("🏅 ")
            .user(e.user_id)
            .plain(" earned ")
            .role(e.role_id)
            .plain(&format!(" ({} points)", e.points));
        let after = earned.len() - i - 1;
        let reserve = if after > 0 {
            more(after).chars().count()
        } else {
            0
        };
        if text.len() + line.len() + reserve > room {
            return text.plain(&more(earned.len() - i));
        }
        text = text.append(line);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn earned(n: u64) -> Vec<Earned> {
        (1..=n)
            .map(|user_id| Earned {
                user_id,
                role_id: 50,
                points: 100,
                first: true,
            })
            .collect()
    }

    #[test]
    fn a_crowd_earning_at_once_fits_the_field_and_is_counted() {
        let one = lines(&earned(1), FIELD_VALUE_MAX);
        assert_eq!(one.to_string(), "🏅 @1 earned @&50 (100 points)");
        let crowd = lines(&earned(200), FIELD_VALUE_MAX);
        assert!(crowd.len() <= FIELD_VALUE_MAX, "{}", crowd.len());
        assert!(crowd.to_string().ends_with(" more"), "{crowd}");
        let reveal = announce(Reply::new(Tone::Quiz, "Question 1"), &earned(200));
        assert!(reveal.violations().is_empty(), "{:?}", reveal.violations());
    }
}
