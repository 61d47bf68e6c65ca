//! Quizzes through the core, as a front end drives them: commands and clicks in,
//! posts, edits and responses out, message ids reported back, time moved by hand,
//! answers saved in a real SQLite file. No sleeps.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use std::sync::Arc;

use feudbot::app::{Clicked, Input};
use feudbot::caller::Caller;
use feudbot::commands::{Invocation, Value};
use feudbot::permissions::Permissions;
use feudbot::quiz::{
    Effect, Filter, GameEvent, GameRequest, Games, HOST_GONE_MS, Kind, Mode, Pace, QuestionBank,
    QuizSettings, REVEAL_PAUSE_MS, UnixMillis, score_points,
};
use feudbot::reply::{ButtonStyle, Reply, Text, TimeStyle};
use feudbot::store::Shards;
use rand::SeedableRng;
use rand::rngs::StdRng;
use support::recorder::{CHANNEL, Core, Done, data, response};

const START: UnixMillis = UnixMillis(1_739_500_000_000);

fn player(name: &str, id: u64) -> Caller {
    Core::member(name, id)
}

/// One saved answer: (quiz, question, user, right, points, streak).
type Saved = (i64, i64, i64, bool, i64, i64);

/// The core, and every post and edit it asked for.
struct Table {
    core: Core,
    /// Messages posted: (whether it is a question, message id, reply).
    posts: Vec<(bool, u64, Reply)>,
    /// Edits: (message id, reply).
    edits: Vec<(u64, Reply)>,
}

impl Table {
    fn new() -> Table {
        Table {
            core: Core::at(START.to_datetime()),
            posts: Vec::new(),
            edits: Vec::new(),
        }
    }

    /// Keeps the posts and edits among `done`; every reply must fit Discord, and
    /// every reveal disables its buttons.
    fn keep(&mut self, done: &[Done]) {
        for done in done {
            if let Some(reply) = done.reply() {
                assert_fits(reply);
            }
            match done {
                Done::Post {
                    message_id, reply, ..
                } => {
                    let question = reply.rows.iter().flatten().any(|b| !b.disabled);
                    self.posts.push((question, *message_id, reply.clone()));
                }
                Done::Edit {
                    message_id, reply, ..
                } => {
                    assert!(
                        reply.rows.iter().flatten().all(|b| b.disabled),
                        "reveals disable every button"
                    );
                    self.edits.push((*message_id, reply.clone()));
                }
                _ => {}
            }
        }
    }

    /// `caller` types `line`; the one response.
    async fn line(&mut self, caller: &Caller, line: &str) -> Reply {
        let done = self.core.line(caller, line).await;
        self.keep(&done);
        response(&done)
    }

    async fn start(&mut self, caller: &Caller, questions: u8, seconds: u8) -> Reply {
        self.line(
            caller,
            &format!("/quiz start questions:{questions} seconds:{seconds}"),
        )
        .await
    }

    async fn click_id(&mut self, caller: &Caller, custom_id: &str) -> Reply {
        let done = self.core.click(caller, custom_id, Clicked::Post).await;
        self.keep(&done);
        response(&done)
    }

    /// The custom_id of `option` on the newest question.
    fn button(&self, option: usize) -> String {
        let (_, _, reply) = self
            .posts
            .iter()
            .rev()
            .find(|(question, _, _)| *question)
            .expect("a question was posted");
        reply
            .rows
            .iter()
            .flatten()
            .nth(option)
            .unwrap()
            .custom_id
            .clone()
    }

    /// `caller` presses the button labelled `label` of a host's `panel`.
    async fn press(&mut self, caller: &Caller, panel: &Reply, label: &str) -> Reply {
        let id = &panel
            .rows
            .iter()
            .flatten()
            .find(|b| b.label == label)
            .expect("a button of the panel")
            .custom_id;
        let done = self.core.click(caller, id, Clicked::Reply).await;
        self.keep(&done);
        response(&done)
    }

    async fn click(&mut self, caller: &Caller, option: usize) -> Reply {
        let id = self.button(option);
        self.click_id(caller, &id).await
    }

    fn answer(&self) -> usize {
        self.core
            .app
            .inspect_game(CHANNEL, |s| s.question().answer)
            .expect("a game runs")
    }

    fn wrong(&self) -> usize {
        (self.answer() + 1) % 2
    }

    fn ended(&self) -> bool {
        self.core.app.inspect_game(CHANNEL, |_| ()).is_none()
    }

    /// Moves the clock `ms` on, without the timers noticing yet.
    fn pass(&self, ms: u64) {
        self.core
            .clock
            .advance(chrono::Duration::milliseconds(ms as i64));
    }

    /// Moves the clock `ms` on, and lets the timers act.
    async fn wait(&mut self, ms: u64) {
        let done = self
            .core
            .advance(chrono::Duration::milliseconds(ms as i64))
            .await;
        self.keep(&done);
    }

    /// Every answer saved, in order.
    async fn results(&self) -> Vec<Saved> {
        let pool = sqlx::SqlitePool::connect(&self.core.database_url())
            .await
            .unwrap();
        sqlx::query_as(
            "SELECT quiz_id, question, user_id, correct, points, streak FROM answers
             ORDER BY quiz_id, question, user_id",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    }

    fn questions_posted(&self) -> usize {
        self.posts
            .iter()
            .filter(|(question, _, _)| *question)
            .count()
    }
}

fn assert_fits(reply: &Reply) {
    assert_eq!(reply.violations(), Vec::<String>::new(), "{reply:#?}");
}

fn text(reply: &Reply) -> String {
    reply.text.to_string()
}

#[tokio::test]
async fn a_five_question_quiz_scores_by_speed_and_ends_with_a_podium() {
    let mut table = Table::new();
    let (alice, bob, carol) = (player("alice", 1), player("bob", 2), player("carol", 3));
    let start = table.start(&alice, 5, 20).await;
    assert!(!start.ephemeral && text(&start).contains("**alice** started a quiz: 5 questions"));
    let question = table.posts[0].2.clone();
    assert_eq!(question.title.split(" · ").next(), Some("Question 1 of 5"));
    assert!(
        text(&question).ends_with("Closes +20s."),
        "{}",
        text(&question)
    );
    assert_eq!(
        table
            .core
            .app
            .inspect_game(CHANNEL, |s| s.deadline())
            .flatten(),
        Some(START.plus_secs(20)),
        "the post was confirmed at once"
    );

    // Question 1: alice right after 2 s, bob wrong, carol right at 15 s.
    table.pass(2_000);
    let right = table.answer();
    let ack = table.click(&alice, right).await;
    assert!(
        ack.ephemeral && text(&ack).starts_with("Locked in: **"),
        "{ack:?}"
    );
    let wrong = table.wrong();
    table.click(&bob, wrong).await;
    table.pass(13_000);
    table.click(&carol, right).await;
    assert!(
        table.edits.is_empty(),
        "the first question waits for its deadline"
    );
    table.wait(5_000).await;
    assert_eq!(table.edits.len(), 1);
    let (message_id, reveal) = table.edits[0].clone();
    assert_eq!(
        message_id, table.posts[0].1,
        "the question's own message is edited"
    );
    let got_it = reveal
        .fields
        .iter()
        .find(|f| f.name.starts_with("Got it right"))
        .unwrap();
    assert_eq!(got_it.name, "Got it right (2 of 3)");
    let alice_points = score_points(2_000, 20_000, 1);
    let carol_points = score_points(15_000, 20_000, 1);
    assert_eq!(alice_points, 950);
    assert_eq!(carol_points, 625);
    assert_eq!(
        got_it.value.to_string(),
        format!("alice +{alice_points}\ncarol +{carol_points}")
    );
    let correct_button = reveal.rows.iter().flatten().nth(right).unwrap();
    assert_eq!(correct_button.style, ButtonStyle::Success);
    assert!(reveal.fields.iter().any(|f| f.name == "Source"));
    assert_eq!(table.results().await.len(), 3);

    // Questions 2 to 4 come after the pause; all three answer, so each closes at once.
    for number in 2..=4 {
        table.wait(REVEAL_PAUSE_MS).await;
        assert_eq!(table.questions_posted(), number);
        table.pass(1_000);
        let right = table.answer();
        table.click(&alice, right).await;
        table.click(&bob, right).await;
        assert_eq!(table.edits.len(), number - 1);
        let wrong = table.wrong();
        table.click(&carol, wrong).await;
        assert_eq!(
            table.edits.len(),
            number,
            "everyone answered: revealed at once"
        );
    }

    // Question 5 and the end.
    table.wait(REVEAL_PAUSE_MS).await;
    let right = table.answer();
    table.click(&alice, right).await;
    table.wait(20_000).await;
    assert!(table.ended());
    let (question, _, podium) = table.posts.last().unwrap().clone();
    assert!(!question);
    assert_eq!(podium.title, "Quiz over");
    assert!(
        text(&podium).starts_with("🥇 **alice**"),
        "{}",
        text(&podium)
    );
    let standings = podium.fields[0].value.to_string();
    assert!(standings.starts_with("1. alice — "), "{standings}");
    assert_eq!(standings.lines().count(), 3);
    // Two channel writes per question, plus the podium.
    assert_eq!(table.questions_posted(), 5);
    assert_eq!(table.edits.len(), 5);
    assert_eq!(table.posts.len(), 6);
    let store = table.core.app.store().await.unwrap();
    assert!(
        store
            .quizzes_in_flight(Shards::all(1))
            .await
            .unwrap()
            .is_empty(),
        "the quiz is recorded as finished"
    );
    // Alice's streak: 1 to 5 right answers in a row.
    let streaks: Vec<i64> = table
        .results()
        .await
        .iter()
        .filter(|a| a.2 == 1)
        .map(|a| a.5)
        .collect();
    assert_eq!(streaks, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn streaks_add_a_bonus_and_wrong_answers_reset_them() {
    assert_eq!(score_points(0, 20_000, 1), 1000);
    assert_eq!(score_points(20_000, 20_000, 1), 500);
    assert_eq!(score_points(30_000, 20_000, 1), 500);
    assert_eq!(score_points(10_000, 20_000, 2), 850);
    assert_eq!(score_points(0, 20_000, 3), 1200);
    assert_eq!(score_points(0, 20_000, 50), 1500, "the bonus is capped");

    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    table.start(&alice, 5, 10).await;
    let mut points = Vec::new();
    for round in 0..4 {
        let right = table.answer();
        let wrong = table.wrong();
        let alice_choice = if round == 2 { wrong } else { right };
        table.click(&alice, alice_choice).await;
        table.click(&bob, wrong).await;
        let open = table
            .core
            .app
            .inspect_game(CHANNEL, |s| s.deadline().is_some())
            .unwrap();
        if open {
            // The first question waits for its deadline; later ones close when both
            // players have answered.
            table.wait(10_000).await;
        }
        let results = table.results().await;
        let last = results.iter().rfind(|a| a.2 == 1).unwrap();
        points.push((last.4, last.5));
        table.wait(REVEAL_PAUSE_MS).await;
    }
    // Answered at once: 1000, then 1000 + 100 for two in a row, then wrong, then 1000.
    assert_eq!(points, [(1000, 1), (1100, 2), (0, 0), (1000, 1)]);
}

#[tokio::test]
async fn clicks_that_do_not_count_get_a_private_notice() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    table.start(&alice, 5, 20).await;
    let first = table.answer();
    let ack = table.click(&alice, first).await;
    assert!(ack.ephemeral);

    // A second click, even on another option.
    let again = table.click(&alice, (first + 1) % 4).await;
    assert!(again.ephemeral && again.is_error());
    assert!(
        text(&again).starts_with("You already chose **"),
        "{}",
        text(&again)
    );

    // A bot's click is not counted.
    let mut bot = player("robot", 9);
    bot.is_bot = true;
    assert_eq!(text(&table.click(&bot, first).await), "Bots can't play.");

    // Forged and foreign buttons.
    let quiz = table.core.app.inspect_game(CHANNEL, |s| s.id()).unwrap();
    for (forged, notice) in [
        ("quiz:zz:1:0", "That button is not one of"),
        ("quiz:1:1", "That button is not one of"),
        ("quiz::1:0", "That button is not one of"),
        (&format!("quiz:{quiz:x}:1:7"), "That button is not one of"),
        (&format!("quiz:{quiz:x}:9:0"), "That button is not one of"),
        (&format!("quiz:{quiz:x}:0:0"), "That button is not one of"),
        (&format!("quiz:{:x}:1:0", quiz + 1), "This quiz is over"),
    ] {
        let reply = table.click_id(&player("mallory", 66), forged).await;
        assert!(reply.ephemeral && reply.is_error(), "{forged}");
        assert!(
            text(&reply).starts_with(notice),
            "{forged}: {}",
            text(&reply)
        );
    }
    // The same button in another channel belongs to no quiz there.
    let mut elsewhere = player("mallory", 66);
    elsewhere.channel_id = CHANNEL + 1;
    let id = table.button(0);
    assert!(text(&table.click_id(&elsewhere, &id).await).starts_with("This quiz is over"));

    // A late click, before the wake-up arrives: time's up, and the question closes.
    let old = table.button(0);
    table.pass(21_000);
    let late = table.click(&player("bob", 2), 0).await;
    assert_eq!(text(&late), "Time's up: this question is closed.");
    assert_eq!(table.edits.len(), 1, "the late event closed the question");
    let results = table.results().await;
    assert_eq!(results.len(), 1, "only alice counted: {results:?}");
    // After the pause, the old question's buttons are closed.
    table.wait(REVEAL_PAUSE_MS).await;
    let stale = table.click_id(&alice, &old).await;
    assert_eq!(
        text(&stale),
        "That question is closed: answer the newest one."
    );
}

#[tokio::test]
async fn five_hundred_simultaneous_clicks_each_count_exactly_once() {
    let mut table = Table::new();
    let host = player("host", 1);
    table.start(&host, 5, 30).await;
    let id = table.button(0);
    let mut acks = 0;
    let mut refused = 0;
    // Every player clicks twice, all within the same millisecond.
    for round in 0..2 {
        for n in 0..500u64 {
            let reply = table
                .click_id(&player(&format!("p{n}"), 100 + n), &id)
                .await;
            if round == 0 {
                assert!(text(&reply).starts_with("Locked in"), "{}", text(&reply));
                acks += 1;
            } else {
                assert!(
                    text(&reply).starts_with("You already chose"),
                    "{}",
                    text(&reply)
                );
                refused += 1;
            }
        }
    }
    assert_eq!((acks, refused), (500, 500));
    table.wait(30_000).await;
    let results = table.results().await;
    let mut users: Vec<i64> = results.iter().map(|a| a.2).collect();
    users.sort_unstable();
    users.dedup();
    assert_eq!(users.len(), 500);
    assert_eq!(results.len(), 500);
    // The reveal counts them, and still fits Discord.
    let label = &table.edits[0].1.rows[0][0].label;
    assert!(label.ends_with(" · 500"), "{label}");
}

#[tokio::test]
async fn a_quiz_nobody_answers_ends_after_two_questions() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    table.start(&alice, 10, 10).await;
    table.wait(10_000).await;
    assert_eq!(table.edits.len(), 1);
    let reveal = &table.edits[0].1;
    assert!(
        reveal
            .fields
            .iter()
            .any(|f| f.name == "Got it right (0 of 0)" && f.value.to_string() == "Nobody.")
    );
    assert!(!table.ended());
    table.wait(REVEAL_PAUSE_MS).await;
    table.wait(10_000).await;
    assert!(table.ended());
    let podium = &table.posts.last().unwrap().2;
    assert!(
        text(podium).starts_with("Nobody answered two questions in a row"),
        "{}",
        text(podium)
    );
    assert_eq!(table.questions_posted(), 2);
    assert!(table.results().await.is_empty(), "nothing to save");
}

#[tokio::test]
async fn one_answered_question_resets_the_idle_count() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    table.start(&alice, 5, 10).await;
    table.wait(10_000).await; // nobody
    table.wait(REVEAL_PAUSE_MS).await;
    table.click(&alice, 0).await;
    table.wait(10_000).await;
    table.wait(REVEAL_PAUSE_MS).await;
    table.wait(10_000).await; // nobody
    assert!(!table.ended());
    table.wait(REVEAL_PAUSE_MS).await;
    table.wait(10_000).await; // nobody, twice in a row
    assert!(table.ended());
}

#[tokio::test]
async fn stop_is_for_the_starter_or_moderators_and_reveals_the_open_question() {
    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    table.start(&alice, 10, 20).await;
    table.click(&bob, 0).await;
    let refused = table.line(&bob, "/quiz stop").await;
    assert!(refused.is_error() && text(&refused).starts_with("Only alice (who started it)"));
    let skip = table.line(&bob, "/quiz skip").await;
    assert!(skip.is_error() && text(&skip).starts_with("Only alice, who started"));
    let mut moderator = player("mod", 3);
    moderator.permissions = Permissions::MANAGE_MESSAGES;
    let posts_before = table.posts.len();
    let done = table.core.line(&moderator, "/quiz stop").await;
    table.keep(&done);
    // One public message, the podium; the moderator is answered privately.
    let stopped = response(&done);
    assert_eq!(
        text(&stopped),
        "You stopped the quiz: the standings are posted in the channel."
    );
    assert!(stopped.ephemeral);
    let public: Vec<&Reply> = done
        .iter()
        .filter_map(|d| match d {
            Done::Post { reply, .. } => Some(reply),
            Done::Respond(reply) if !reply.ephemeral => Some(reply),
            _ => None,
        })
        .collect();
    assert_eq!(public.len(), 1, "{done:#?}");
    assert_eq!(public[0].title, "Quiz stopped");
    assert!(text(public[0]).starts_with("Stopped by mod."));
    assert_eq!(table.posts.len(), posts_before + 1);
    assert!(table.ended());
    assert_eq!(table.edits.len(), 1, "the open question is revealed");
    assert_eq!(table.results().await.len(), 1, "bob's answer counts");
    let podium = &table.posts.last().unwrap().2;
    assert_eq!(podium.title, "Quiz stopped");
    // The channel is free again, and an administrator may stop anyone's quiz.
    let again = table.start(&bob, 5, 10).await;
    assert!(!again.is_error());
    let mut admin = player("admin", 4);
    admin.permissions = Permissions::ADMINISTRATOR;
    let stopped = table.line(&admin, "/quiz stop").await;
    assert!(stopped.ephemeral && !stopped.is_error(), "{stopped:?}");
    let podium = &table.posts.last().unwrap().2;
    assert!(text(podium).starts_with("Stopped by admin."));
    let none = Table::new().line(&alice, "/quiz stop").await;
    assert!(text(&none).starts_with("No quiz is running in this channel"));
}

#[tokio::test]
async fn skip_reveals_now_and_does_not_count_as_unanswered() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    table.start(&alice, 5, 20).await;
    let skipped = table.line(&alice, "/quiz skip").await;
    assert!(skipped.ephemeral && text(&skipped) == "Question 1 skipped.");
    assert_eq!(table.edits.len(), 1);
    // Skipping between questions asks the next one at once.
    let next = table.line(&alice, "/quiz skip").await;
    assert_eq!(text(&next), "On to the next question.");
    assert_eq!(table.questions_posted(), 2);
    table.line(&alice, "/quiz skip").await;
    table.line(&alice, "/quiz skip").await;
    assert!(!table.ended(), "skipped questions are not idle ones");
}

#[tokio::test]
async fn one_quiz_per_channel_and_the_second_start_says_when_the_first_ends() {
    let mut table = Table::new();
    table.start(&player("alice", 1), 5, 20).await;
    let second = table.start(&player("bob", 2), 5, 20).await;
    assert!(second.ephemeral && second.is_error());
    // 20 s for this question, then 4 more of 5 + 20 s.
    let ends = START.plus_secs(20 + 4 * 25).to_datetime();
    assert_eq!(
        second.text,
        Text::from("A quiz is already running here, it ends ")
            .time(ends, TimeStyle::Relative)
            .plain(".")
    );
    let whosaid = table.line(&player("bob", 2), "/whosaid").await;
    assert!(text(&whosaid).starts_with("A quiz is already running here"));
    // Another channel is independent.
    let mut elsewhere = player("bob", 2);
    elsewhere.channel_id = CHANNEL + 1;
    assert!(!table.start(&elsewhere, 5, 20).await.is_error());
    assert!(table.core.app.inspect_game(CHANNEL + 1, |_| ()).is_some());
    // Not in direct messages.
    let mut dm = player("bob", 2);
    dm.guild_id = None;
    assert!(text(&table.start(&dm, 5, 20).await).contains("not in direct messages"));
}

#[tokio::test]
async fn whosaid_is_one_quote_open_to_all_for_twenty_seconds_with_one_edit() {
    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    let ack = table.line(&alice, "/whosaid").await;
    assert!(ack.ephemeral && !ack.is_error());
    let (mode, kind) = table
        .core
        .app
        .inspect_game(CHANNEL, |s| (s.mode(), s.question().kind))
        .unwrap();
    assert_eq!(mode, Mode::WhoSaid);
    assert_eq!(kind, Kind::WhoSaidIt);
    assert_eq!(table.posts[0].2.title, "Who said it?");
    let right = table.answer();
    table.click(&alice, right).await;
    table.click(&bob, (right + 1) % 4).await;
    assert!(table.edits.is_empty(), "anyone may still answer");
    table.wait(19_999).await;
    assert!(table.edits.is_empty());
    table.wait(1).await;
    assert_eq!(table.edits.len(), 1);
    assert!(table.ended());
    assert_eq!(table.posts.len(), 1, "no podium for one question");
    let reveal = &table.edits[0].1;
    assert!(
        reveal
            .fields
            .iter()
            .any(|f| f.value.to_string().starts_with("alice +"))
    );
    assert!(!reveal.fields.iter().any(|f| f.name == "Top 5"));
}

/// The state machine alone: a question skipped before its post came back (a slow
/// post) is revealed when its message id does, once; and its time never ran while it
/// was on its way.
#[test]
fn a_reveal_waits_for_its_message_id_when_the_post_is_slow() {
    let mut games = Games::new(Arc::new(QuestionBank::new(&data())));
    let mut rng = StdRng::seed_from_u64(42);
    let settings = QuizSettings {
        questions: 5,
        seconds: 10,
        filter: Filter::default(),
        pace: Pace::Auto,
    };
    let request = GameEvent::Request {
        caller: player("alice", 1),
        request: GameRequest::Start(settings),
    };
    let effects = games.apply(request, START, &mut rng);
    let tag = effects
        .iter()
        .find_map(|e| match e {
            Effect::Post { report, .. } => *report,
            _ => None,
        })
        .expect("the question is posted");
    let tick = GameEvent::Tick {
        channel_id: CHANNEL,
    };
    let effects = games.apply(tick, START.plus_secs(60), &mut rng);
    assert!(effects.is_empty(), "the time has not started: {effects:?}");
    let skip = GameEvent::Request {
        caller: player("alice", 1),
        request: GameRequest::Skip,
    };
    let effects = games.apply(skip, START.plus_secs(61), &mut rng);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Edit { .. })),
        "no message id yet"
    );
    let posted = GameEvent::Posted {
        channel_id: CHANNEL,
        tag,
        message_id: 77,
    };
    let effects = games.apply(posted.clone(), START.plus_secs(11), &mut rng);
    let edits: Vec<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Edit { message_id, .. } => Some(*message_id),
            _ => None,
        })
        .collect();
    assert_eq!(edits, [77]);
    // A repeated report changes nothing.
    let effects = games.apply(posted, START.plus_secs(12), &mut rng);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Edit { .. })));
}

#[tokio::test]
async fn the_question_in_flight_is_saved_and_marked_interrupted_after_a_restart() {
    let mut table = Table::new();
    table.start(&player("alice", 1), 5, 10).await;
    let store = table.core.app.store().await.unwrap();
    let in_flight = store.quizzes_in_flight(Shards::all(1)).await.unwrap();
    assert_eq!(in_flight.len(), 1);
    assert_eq!(in_flight[0].message_id, table.posts[0].1);
    assert_eq!(in_flight[0].labels.len(), 4);
    let posted = table.posts[0].2.clone();

    let (core, done) = table.core.restart().await;
    let [
        Done::Edit {
            message_id,
            reply: interrupted,
            ..
        },
    ] = done.as_slice()
    else {
        panic!("one edit: {done:?}");
    };
    assert_eq!(*message_id, in_flight[0].message_id);
    assert_eq!(interrupted.title, "Quiz interrupted");
    assert_fits(interrupted);
    let ids: Vec<&str> = interrupted.rows[0]
        .iter()
        .map(|b| b.custom_id.as_str())
        .collect();
    let posted: Vec<&str> = posted.rows[0]
        .iter()
        .map(|b| b.custom_id.as_str())
        .collect();
    assert_eq!(ids, posted, "the same buttons, disabled");
    assert!(interrupted.rows[0].iter().all(|b| b.disabled));
    let store = core.app.store().await.unwrap();
    assert!(
        store
            .quizzes_in_flight(Shards::all(1))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn quiz_options_are_read_from_the_command() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    let started = table
        .line(
            &alice,
            "/quiz start questions:5 seconds:15 kind:numbers difficulty:hard",
        )
        .await;
    assert!(
        text(&started).contains("5 questions (numbers, hard), 15 seconds each"),
        "{}",
        text(&started)
    );
    let refused = Table::new().line(&alice, "/quiz start questions:30").await;
    assert_eq!(
        text(&refused),
        "`questions` must be between 5 and 20. Type it like this: `/quiz start questions:10`"
    );
    let by_name = Input::Command {
        caller: alice,
        invocation: Invocation {
            command: "stats".into(),
            subcommand: None,
            options: vec![("user".into(), Value::Text("alice".into()))],
        },
    };
    let refused = response(&Table::new().core.input(by_name).await);
    assert!(text(&refused).starts_with("`user` must be a member"));
}

#[tokio::test]
async fn a_restart_in_the_pause_after_a_reveal_leaves_the_reveal_as_it_is() {
    for answered in [true, false] {
        let mut table = Table::new();
        let alice = player("alice", 1);
        table.start(&alice, 5, 10).await;
        if answered {
            let right = table.answer();
            table.click(&alice, right).await;
        }
        table.wait(10_000).await;
        assert_eq!(table.edits.len(), 1, "revealed");
        let (core, done) = table.core.restart().await;
        assert!(
            done.is_empty(),
            "the revealed question is not marked interrupted: {done:?}"
        );
        let store = core.app.store().await.unwrap();
        assert!(
            store
                .quizzes_in_flight(Shards::all(1))
                .await
                .unwrap()
                .is_empty()
        );
    }
}

/// An old game's last steps and a new game's start in the same channel, at once: the
/// old game's end must not take the new game's wake-up with it.
#[tokio::test]
async fn a_game_ending_while_the_next_starts_keeps_the_new_games_timer() {
    let table = Table::new();
    let alice = player("alice", 1);
    response(&table.core.line(&alice, "/whosaid").await);
    table.pass(20_000);
    let invocation = feudbot::console::parse_line("/quiz start", |_| 1).unwrap();
    let (_, _) = tokio::join!(
        table.core.input(Input::Wake(feudbot::app::Wake::Game {
            channel_id: CHANNEL
        })),
        table.core.input(Input::Command {
            caller: alice.clone(),
            invocation,
        }),
    );
    let quiz = table.core.app.inspect_game(CHANNEL, |s| s.mode());
    assert_eq!(
        quiz,
        Some(Mode::Quiz),
        "the quiz started once the question closed"
    );
    assert!(
        table.core.app.next_wake().is_some(),
        "the new quiz's deadline is still awaited"
    );
}

/// The state machine alone: a quiz stopped while its question's post is still on its
/// way still reveals that question once the post reports its message.
#[test]
fn a_question_posted_after_its_quiz_ended_is_still_revealed() {
    let mut games = Games::new(Arc::new(QuestionBank::new(&data())));
    let mut rng = StdRng::seed_from_u64(42);
    let alice = player("alice", 1);
    let start = GameEvent::Request {
        caller: alice.clone(),
        request: GameRequest::Start(QuizSettings {
            questions: 5,
            seconds: 10,
            filter: Filter::default(),
            pace: Pace::Auto,
        }),
    };
    let effects = games.apply(start, START, &mut rng);
    let tag = effects
        .iter()
        .find_map(|e| match e {
            Effect::Post { report, .. } => *report,
            _ => None,
        })
        .expect("the question is posted");
    let stop = GameEvent::Request {
        caller: alice,
        request: GameRequest::Stop,
    };
    games.apply(stop, START.plus_secs(1), &mut rng);
    assert!(games.is_empty(), "the quiz is over");
    let posted = GameEvent::Posted {
        channel_id: CHANNEL,
        tag,
        message_id: 77,
    };
    let effects = games.apply(posted, START.plus_secs(2), &mut rng);
    let edited: Vec<(u64, bool)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Edit {
                message_id, reply, ..
            } => Some((*message_id, reply.rows.iter().flatten().all(|b| b.disabled))),
            _ => None,
        })
        .collect();
    assert_eq!(
        edited,
        [(77, true)],
        "revealed, buttons disabled: {effects:?}"
    );
}

/// A question's time starts when its post is confirmed, not when it was drawn: a post
/// that waited (rate limits, a slow Discord) costs players nothing, and the deadline
/// shown is counted from when the message is sent.
#[tokio::test]
async fn a_questions_time_starts_when_its_post_is_confirmed() {
    let mut table = Table::new();
    table.core.front.delay_posts(chrono::Duration::seconds(4));
    table.start(&player("alice", 1), 5, 10).await;
    let deadline = table
        .core
        .app
        .inspect_game(CHANNEL, |s| s.deadline())
        .flatten();
    assert_eq!(deadline, Some(START.plus_secs(4 + 10)));
    let question = &table.posts[0].2;
    assert!(
        question.text.to_string().ends_with("Closes +10s."),
        "the deadline is shown from sending: {}",
        question.text
    );
}

#[tokio::test]
async fn a_question_that_cannot_be_posted_ends_the_quiz_or_is_skipped() {
    // The channel refuses the bot (403): the quiz ends, with nothing more posted.
    let mut table = Table::new();
    table
        .core
        .front
        .fail_next_post(feudbot::daily::Fault::Forbidden);
    let done = table
        .core
        .line(&player("alice", 1), "/quiz start questions:5 seconds:10")
        .await;
    let said: Vec<&Reply> = done
        .iter()
        .filter_map(|d| match d {
            Done::Respond(reply) => Some(reply),
            _ => None,
        })
        .collect();
    assert_eq!(said.len(), 2, "the start, then why it ended: {done:#?}");
    assert!(said[1].ephemeral && text(said[1]).contains("Embed Links"));
    assert!(table.ended(), "a quiz that cannot post ends");
    table.wait(60_000).await;
    assert!(
        table.posts.is_empty(),
        "no podium where nothing can be posted"
    );
    let store = table.core.app.store().await.unwrap();
    assert!(
        store
            .quizzes_in_flight(Shards::all(1))
            .await
            .unwrap()
            .is_empty()
    );

    // Discord fails for a moment (after the front end's own retries): the question is
    // skipped, and the next comes after the pause.
    let mut table = Table::new();
    table
        .core
        .front
        .fail_next_post(feudbot::daily::Fault::Unavailable);
    table.start(&player("alice", 1), 5, 10).await;
    assert!(!table.ended());
    table.wait(REVEAL_PAUSE_MS).await;
    assert_eq!(table.questions_posted(), 1);
    let number = table.core.app.inspect_game(CHANNEL, |s| s.number());
    assert_eq!(number, Some(2), "question 1 was skipped");
    assert!(
        table.edits.is_empty(),
        "a question never shown is not revealed"
    );
}

/// Skips through the running quiz to its end; every question asked, as its prompt and
/// its options in order ("which came first?" questions share their prompt).
async fn skip_to_the_end(table: &mut Table, starter: &Caller) -> Vec<String> {
    let mut prompts = Vec::new();
    while !table.ended() {
        let asking = table
            .core
            .app
            .inspect_game(CHANNEL, |s| {
                let mut options = s.question().options.clone();
                options.sort();
                let asked = format!("{} {options:?}", s.question().prompt);
                s.deadline().map(|_| asked)
            })
            .expect("a game runs");
        if let Some(prompt) = asking {
            prompts.push(prompt);
        }
        table.line(starter, "/quiz skip").await;
    }
    prompts
}

#[tokio::test]
async fn a_quiz_never_repeats_a_question_and_says_when_its_pool_is_smaller() {
    let alice = player("alice", 1);
    // Two hard hand-written questions: fewer than a quiz's five.
    let mut table = Table::new();
    let refused = table
        .line(
            &alice,
            "/quiz start kind:hand-written difficulty:hard questions:6",
        )
        .await;
    assert!(refused.is_error() && refused.ephemeral, "{refused:?}");
    assert_eq!(
        text(&refused),
        "There are only 2 questions of hand-written, hard, and a quiz has at least 5. \
         Try another kind or difficulty, or `/whosaid` for a single question."
    );
    assert!(table.posts.is_empty() && table.ended());

    // Ten hand-written questions in all: twelve asked for, ten played, none twice.
    let started = table
        .line(
            &alice,
            "/quiz start kind:hand-written questions:12 seconds:10",
        )
        .await;
    assert!(!started.is_error(), "{started:?}");
    assert!(
        text(&started).contains("10 questions (hand-written, any difficulty)")
            && text(&started)
                .contains("There are only 10 questions of hand-written, any difficulty"),
        "{}",
        text(&started)
    );
    let prompts = skip_to_the_end(&mut table, &alice).await;
    assert_eq!(prompts.len(), 10, "{prompts:#?}");
    let mut distinct = prompts.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "a question asked twice: {prompts:#?}");
    let podium = &table.posts.last().unwrap().2;
    assert!(
        podium
            .footer
            .as_deref()
            .unwrap()
            .starts_with("10 of 10 questions")
    );

    // Where the pool is large enough, every filter gets the questions asked for, all
    // different, even when that takes every question there is (7 numbers, 14 quotes).
    for (filter, questions) in [("kind:numbers", 7), ("kind:who-said-it", 14), ("", 20)] {
        let mut table = Table::new();
        let started = table
            .line(
                &alice,
                &format!("/quiz start {filter} questions:{questions}"),
            )
            .await;
        assert!(!text(&started).contains("only"), "{}", text(&started));
        let prompts = skip_to_the_end(&mut table, &alice).await;
        let mut distinct = prompts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), questions, "{filter}: {prompts:#?}");
    }
}

#[tokio::test]
async fn a_question_does_not_repeat_its_heading() {
    let alice = player("alice", 1);
    for kind in [
        "who-said-it",
        "finish-the-quote",
        "where-said",
        "which-first",
        "when",
        "numbers",
        "who",
        "hand-written",
    ] {
        let mut table = Table::new();
        table
            .line(&alice, &format!("/quiz start kind:{kind}"))
            .await;
        table.line(&alice, "/quiz skip").await;
        let question = table.posts[0].2.clone();
        let reveal = table.edits[0].1.clone();
        for reply in [question, reveal] {
            let heading = reply.title.rsplit(" · ").next().unwrap();
            assert!(
                !text(&reply).contains(heading),
                "{kind}: {heading:?} twice: {}",
                text(&reply)
            );
        }
    }
    let mut table = Table::new();
    table.line(&alice, "/whosaid").await;
    let question = &table.posts[0].2;
    assert_eq!(question.title, "Who said it?");
    assert!(text(question).starts_with("> “"), "{}", text(question));
}

/// Whether `text` holds a character that garbles a line in clients: a control
/// character other than a line break or tab, or a bidirectional override or isolate.
fn garbled(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// Every piece of text in `reply`, each name as written.
fn all_text(reply: &Reply) -> String {
    let mut all = vec![reply.title.clone(), text(reply)];
    all.extend(reply.footer.clone());
    for field in &reply.fields {
        all.push(field.name.clone());
        all.push(field.value.to_string());
    }
    all.extend(reply.rows.iter().flatten().map(|b| b.label.clone()));
    all.join("\n")
}

#[tokio::test]
async fn names_show_exactly_as_written_without_what_garbles_a_line() {
    let mut table = Table::new();
    let names = [
        "john_doe",
        "**bold**",
        "<@6001> hi",
        "rtl\u{202E}evil\u{0}",
        "  \u{2066}  ",
    ];
    let players: Vec<Caller> = names
        .iter()
        .zip(1..)
        .map(|(name, id)| player(name, id))
        .collect();
    table.start(&players[0], 5, 10).await;
    for who in &players {
        let right = table.answer();
        table.click(who, right).await;
    }
    table.wait(10_000).await;
    let stopped = table.line(&players[0], "/quiz stop").await;
    assert!(!stopped.is_error());
    let start = text(&table.core.ask("/leaderboard").await);
    let reveal = table.edits[0].1.clone();
    let podium = table.posts.last().unwrap().2.clone();
    let shown = ["john_doe", "**bold**", "<@6001> hi", "rtlevil", "someone"];
    for reply in [&reveal, &podium] {
        let all = all_text(reply);
        assert!(!garbled(&all), "{all:?}");
        for name in shown {
            assert!(all.contains(name), "{name:?} in {all}");
        }
    }
    assert!(!garbled(&start), "{start:?}");
    for name in shown {
        assert!(
            start.contains(&format!("**{name}**")),
            "{name:?} in {start}"
        );
    }
    // Names are typed spans: each front end shows them as written, Discord with its
    // Markdown escaped.
    let names_in = |text: &Text| -> Vec<String> {
        text.spans()
            .iter()
            .filter_map(|s| match s {
                feudbot::reply::Span::Name(name) => Some(name.clone()),
                _ => None,
            })
            .collect()
    };
    let top = reveal.fields.iter().find(|f| f.name == "Top 5").unwrap();
    let mut listed = names_in(&top.value);
    listed.sort();
    let mut expected: Vec<String> = shown.map(String::from).to_vec();
    expected.sort();
    assert_eq!(listed, expected);
    assert_eq!(
        names_in(&podium.text)[0],
        "john_doe",
        "stopped by: {podium:?}"
    );
    let stats = table.core.ask("/stats user:@2").await;
    assert_eq!(stats.title, "Trivia stats");
    assert_eq!(names_in(&stats.text), ["**bold**"]);
}

#[tokio::test]
async fn players_tied_on_points_share_their_place_in_a_quiz() {
    let mut table = Table::new();
    let (alice, bob, carol) = (player("alice", 1), player("bob", 2), player("carol", 3));
    table.start(&alice, 5, 10).await;
    let (right, wrong) = (table.answer(), table.wrong());
    table.click(&alice, right).await;
    table.click(&bob, right).await;
    table.click(&carol, wrong).await;
    table.wait(10_000).await;
    let reveal = table.edits[0].1.clone();
    let top = reveal.fields.iter().find(|f| f.name == "Top 5").unwrap();
    assert_eq!(
        top.value.to_string(),
        "1. alice · 1000\n1. bob · 1000\n3. carol · 0"
    );
    table.line(&alice, "/quiz stop").await;
    let podium = table.posts.last().unwrap().2.clone();
    assert_eq!(
        text(&podium),
        "Stopped by alice.\n\n🥇 **alice** · 1000 points\n🥇 **bob** · 1000 points"
    );
    let places: Vec<String> = podium.fields[0]
        .value
        .to_string()
        .lines()
        .map(|line| line.split(" — ").next().unwrap().to_string())
        .collect();
    assert_eq!(places, ["1. alice", "1. bob", "3. carol"]);
}

/// `/whosaid` cannot be farmed: a channel waits 30 s after one ends before the next,
/// and a player's answers past 20 a day count in stats, not in points.
#[tokio::test]
async fn whosaid_waits_between_questions_and_scores_twenty_answers_a_day() {
    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    table.line(&bob, "/whosaid").await;
    table.wait(20_000).await;
    assert!(table.ended());
    let refused = table.line(&bob, "/whosaid").await;
    assert!(refused.is_error() && refused.ephemeral, "{refused:?}");
    assert!(
        text(&refused).starts_with("The next `/whosaid` here can start ")
            && text(&refused).ends_with(": one every 30 seconds per channel."),
        "{}",
        text(&refused)
    );
    let mut elsewhere = bob.clone();
    elsewhere.channel_id = CHANNEL + 1;
    let other = table.line(&elsewhere, "/whosaid").await;
    assert!(!other.is_error(), "another channel is free: {other:?}");
    table.wait(29_999).await;
    assert!(table.line(&bob, "/whosaid").await.is_error());
    table.wait(1).await;

    let store = table.core.app.store().await.unwrap().clone();
    let mut acks = Vec::new();
    for round in 1..=21 {
        // The cooldown is over each time: this one starts.
        let started = table.line(&bob, "/whosaid").await;
        assert!(!started.is_error(), "round {round}: {}", text(&started));
        let right = table.answer();
        acks.push(table.click(&alice, right).await);
        table.wait(20_000 + 30_000).await;
    }
    let scored_acks = acks.iter().filter(|a| !text(a).contains("scored")).count();
    assert_eq!(scored_acks, 20);
    assert!(
        text(&acks[20]).contains(
            "You have had your 20 scored `/whosaid` answers today: this one counts in \
             `/stats`, not in points."
        ),
        "{}",
        text(&acks[20])
    );
    let stats = store.stats(1, 1).await.unwrap().unwrap();
    assert_eq!((stats.answers, stats.correct), (21, 21));
    let points_before = stats.points;
    let last = table.edits.last().unwrap().1.clone();
    assert!(
        last.fields
            .iter()
            .any(|f| f.value.to_string().contains("alice +0")),
        "the reveal shows no points: {last:?}"
    );

    // The next day (UTC), answers score again.
    table.wait(86_400_000).await;
    table.line(&bob, "/whosaid").await;
    let right = table.answer();
    let ack = table.click(&alice, right).await;
    assert!(!text(&ack).contains("scored"), "{}", text(&ack));
    table.wait(20_000).await;
    let stats = store.stats(1, 1).await.unwrap().unwrap();
    assert!(stats.points > points_before);
}

/// The buttons of a host's panel that can be pressed.
fn enabled(panel: &Reply) -> Vec<&str> {
    panel
        .rows
        .iter()
        .flatten()
        .filter(|b| !b.disabled)
        .map(|b| b.label.as_str())
        .collect()
}

const HOSTED: &str = "/quiz start questions:5 seconds:20 pace:host";

/// The start of a host-paced quiz answers with the host's private panel, the channel
/// hears of it from a post, and each next question waits for the host's press; a
/// question still closes at its deadline by itself.
#[tokio::test]
async fn a_host_paced_quiz_moves_on_when_its_host_presses() {
    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    let panel = table.line(&alice, HOSTED).await;
    assert!(panel.ephemeral && !panel.is_error(), "{panel:?}");
    assert_eq!(enabled(&panel), ["Reveal now", "Next question", "End"]);
    let (question, _, announced) = &table.posts[0];
    assert!(
        !question && text(announced).contains("**alice** started a host-paced quiz: 5 questions"),
        "{announced:?}"
    );
    assert_eq!(table.questions_posted(), 1);
    let busy = table.line(&bob, HOSTED).await;
    assert!(
        text(&busy).ends_with("alice hosts it, and it ends when they end it."),
        "{}",
        text(&busy)
    );

    // Question 1 closes at its deadline by itself; the next waits for the host.
    let right = table.answer();
    table.click(&bob, right).await;
    table.wait(20_000).await;
    assert_eq!(table.edits.len(), 1);
    table.wait(60_000).await;
    assert_eq!(table.questions_posted(), 1, "no question without the host");

    // Only the host's presses count.
    let refused = table.press(&bob, &panel, "Next question").await;
    assert!(refused.is_error() && refused.ephemeral, "{refused:?}");
    assert!(text(&refused).starts_with("Only alice, who hosts this quiz"));
    assert_eq!(table.questions_posted(), 1);
    let panel = table.press(&alice, &panel, "Next question").await;
    assert!(text(&panel).starts_with("On to the next question."));
    assert_eq!(table.questions_posted(), 2);

    // Reveal now closes question 2 early, and the quiz waits again.
    let open = table.press(&alice, &panel, "Reveal now").await;
    assert!(
        text(&open).starts_with("Question 2 revealed.\nQuestion 2 of 5 is revealed. Press"),
        "{}",
        text(&open)
    );
    assert_eq!(enabled(&open), ["Next question", "End"]);
    assert_eq!(table.edits.len(), 2);
    // A panel left behind (its Reveal now still enabled) says what happened instead.
    let stale = table.press(&alice, &panel, "Reveal now").await;
    assert!(text(&stale).starts_with("Question 2 is already revealed."));
    table.wait(REVEAL_PAUSE_MS * 2).await;
    assert_eq!(table.questions_posted(), 2);

    // Next on an open question reveals it, and the next follows after the pause.
    let panel = table.press(&alice, &stale, "Next question").await;
    assert_eq!(table.questions_posted(), 3);
    let panel = table.press(&alice, &panel, "Next question").await;
    assert!(
        text(&panel).contains("question 4 follows"),
        "{}",
        text(&panel)
    );
    assert_eq!(table.edits.len(), 3);
    table.wait(REVEAL_PAUSE_MS).await;
    assert_eq!(table.questions_posted(), 4);

    // End reveals the open question and posts the standings; the buttons go grey.
    let right = table.answer();
    table.click(&bob, right).await;
    let ended = table.press(&alice, &panel, "End").await;
    assert!(text(&ended).starts_with("You ended the quiz."));
    assert!(enabled(&ended).is_empty());
    assert!(table.ended());
    assert_eq!(table.edits.len(), 4);
    let podium = &table.posts.last().unwrap().2;
    assert_eq!(podium.title, "Quiz stopped");
    let bob_right: Vec<i64> = table
        .results()
        .await
        .iter()
        .filter(|a| a.2 == 2 && a.3)
        .map(|a| a.4)
        .collect();
    assert_eq!(bob_right, [1000, 1000], "scored as in any quiz");
    let over = table.press(&alice, &panel, "Next question").await;
    assert!(text(&over).starts_with("This quiz is over."));
    assert!(enabled(&over).is_empty());
}

/// A host who presses nothing for ten minutes ends the quiz; each press starts the ten
/// minutes again.
#[tokio::test]
async fn a_host_paced_quiz_ends_ten_minutes_after_the_hosts_last_press() {
    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    let panel = table.line(&alice, HOSTED).await;
    table.wait(20_000).await;
    assert_eq!(table.edits.len(), 1, "closed at its deadline");
    table.wait(5 * 60_000).await;
    table.press(&alice, &panel, "Next question").await;
    let right = table.answer();
    table.click(&bob, right).await;
    table.wait(HOST_GONE_MS - 1).await;
    assert_eq!(table.edits.len(), 2);
    assert!(!table.ended());
    table.wait(1).await;
    assert!(table.ended());
    let podium = &table.posts.last().unwrap().2;
    assert_eq!(podium.title, "Quiz over");
    assert!(
        text(podium).starts_with("The host moved nothing on for 10 minutes"),
        "{}",
        text(podium)
    );
    let store = table.core.app.store().await.unwrap();
    assert!(
        store
            .quizzes_in_flight(Shards::all(1))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_host_paced_quiz_in_flight_is_marked_interrupted_after_a_restart() {
    let mut table = Table::new();
    table.line(&player("alice", 1), HOSTED).await;
    let question = table.posts[1].1;
    let (_, done) = table.core.restart().await;
    assert!(
        matches!(
            done.as_slice(),
            [Done::Edit { message_id, reply, .. }]
                if *message_id == question && reply.title == "Quiz interrupted"
        ),
        "{done:?}"
    );
}
