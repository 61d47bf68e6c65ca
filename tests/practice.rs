//! `/practice` through the core, as a front end drives it: one private message that
//! each answer turns into the next question, a summary at the end, and only the
//! finished run saved, for the player's own record.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use feudbot::reply::Reply;
use support::recorder::{Core, response};

fn text(reply: &Reply) -> String {
    reply.text.to_string()
}

fn first_button(reply: &Reply) -> String {
    reply
        .rows
        .iter()
        .flatten()
        .next()
        .expect("a button")
        .custom_id
        .clone()
}

#[tokio::test]
async fn a_practice_asks_each_question_once_keeps_score_and_saves_only_the_finished_run() {
    let core = Core::at(chrono::Utc::now());
    let mut reply = core.ask("/practice questions:4 kind:who-said-it").await;
    let mut prompts = Vec::new();
    let mut right = 0;
    let mut last_click = String::new();
    for number in 1..=4 {
        assert!(reply.ephemeral && !reply.is_error(), "{reply:?}");
        assert_eq!(
            reply.title,
            format!("Practice · {number} of 4 · Who said it?")
        );
        assert_eq!(
            reply.footer.as_deref(),
            Some(
                format!("{right} right so far · only you see this; it counts on no leaderboard")
                    .as_str()
            )
        );
        assert_eq!(reply.rows.iter().flatten().count(), 4, "four speakers");
        // The question: the paragraph before the options, after any verdict.
        let shown = text(&reply);
        let asked = shown.split("\n\n**A** · ").next().unwrap_or_default();
        prompts.push(asked.rsplit("\n\n").next().unwrap_or_default().to_string());
        last_click = first_button(&reply);
        reply = core.press(&last_click).await;
        let verdict = text(&reply);
        if verdict.starts_with("✅ Right: **A**") {
            right += 1;
        } else {
            assert!(verdict.starts_with("❌ It was **"), "{verdict}");
            assert!(verdict.contains("(you chose **A** · "), "{verdict}");
        }
    }
    assert_eq!(reply.title, "Practice over");
    assert!(reply.ephemeral && reply.rows.is_empty());
    assert!(
        text(&reply).ends_with(&format!("You got **{right} of 4** right.")),
        "{}",
        text(&reply)
    );
    assert!(prompts.iter().all(|p| !p.is_empty()), "{prompts:#?}");
    let mut distinct = prompts.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "a question asked twice: {prompts:#?}");
    let record = format!(
        "1 run · {right} of 4 right ({}%) · best {right} of 4",
        right * 25
    );
    let field = |reply: &Reply, name: &str| {
        reply
            .fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.to_string())
    };
    assert_eq!(field(&reply, "Your practice record"), Some(record.clone()));
    // The last answer clicked again: the run still counts once.
    let again = core.press(&last_click).await;
    assert_eq!(field(&again, "Your practice record"), Some(record.clone()));
    // One's own stats show it; nobody else's stats of them do.
    let stats = core.ask("/stats").await;
    assert_eq!(field(&stats, "Practice (anywhere)"), Some(record));
    let seen = response(
        &core
            .line(&Core::member("bob", 2), "/stats user:@alice")
            .await,
    );
    assert_eq!(field(&seen, "Practice (anywhere)"), None, "{seen:?}");
}

#[tokio::test]
async fn a_practice_of_a_small_pool_asks_what_there_is_and_forged_buttons_are_refused() {
    let core = Core::at(chrono::Utc::now());
    let reply = core
        .ask("/practice kind:hand-written difficulty:hard")
        .await;
    assert!(
        text(&reply)
            .starts_with("There are only 2 questions of hand-written, hard: here they all are."),
        "{}",
        text(&reply)
    );
    assert!(
        reply.title.starts_with("Practice · 1 of 2 · "),
        "{}",
        reply.title
    );
    for forged in [
        "practice:1:20:21:0:::0",
        "practice:1:5:1:0:nope::0",
        "practice:1:5:1:0:::9",
    ] {
        let refused = core.press(forged).await;
        assert!(
            refused.is_error() && refused.ephemeral,
            "{forged}: {refused:?}"
        );
    }
}
