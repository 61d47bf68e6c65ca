//! The quiz state machine, driven as the Discord layer drives it: commands and clicks
//! in, effects out, message ids reported back, time passed in. No sleeps: time is a
//! number the test moves.

use std::path::Path;
use std::sync::Arc;

use feudbot::commands::{self, COMMANDS, Caller, Invocation, MANAGE_MESSAGES, Value};
use feudbot::data::Dataset;
use feudbot::quiz::{
    Effect, Filter, GameEvent, GameRequest, Games, Kind, Mode, PostTag, QuestionBank,
    QuestionResults, QuizSettings, REVEAL_PAUSE_MS, Save, UnixMillis, score_points,
};
use feudbot::reply::{ButtonStyle, Reply};
use rand::SeedableRng;
use rand::rngs::StdRng;

const GUILD: u64 = 1;
const CHANNEL: u64 = 10;
const START: UnixMillis = UnixMillis(1_739_500_000_000);

fn bank() -> Arc<QuestionBank> {
    static BANK: std::sync::OnceLock<Arc<QuestionBank>> = std::sync::OnceLock::new();
    Arc::clone(BANK.get_or_init(|| {
        let data = Dataset::load(Path::new("data")).expect("the shipped dataset loads");
        Arc::new(QuestionBank::new(&data))
    }))
}

fn player(name: &str, id: u64) -> Caller {
    Caller {
        user_id: id,
        user_name: name.to_string(),
        is_bot: false,
        guild_id: Some(GUILD),
        channel_id: CHANNEL,
        permissions: 0,
    }
}

/// The game, a clock, a message id counter, and everything that came out.
struct Table {
    games: Games,
    rng: StdRng,
    now: UnixMillis,
    next_message: u64,
    /// Messages posted: (tag, message id, reply).
    posts: Vec<(Option<PostTag>, u64, Reply)>,
    /// Edits: (message id, reply).
    edits: Vec<(u64, Reply)>,
    saves: Vec<Save>,
    ended: bool,
    /// Whether tagged posts are reported back at once.
    report: bool,
}

impl Table {
    fn new() -> Table {
        Table {
            games: Games::new(bank()),
            rng: StdRng::seed_from_u64(42),
            now: START,
            next_message: 1000,
            posts: Vec::new(),
            edits: Vec::new(),
            saves: Vec::new(),
            ended: false,
            report: true,
        }
    }

    /// Applies an event, checks the effects' shape, carries them out like the runner;
    /// returns the response, if the event was an interaction.
    fn apply(&mut self, event: GameEvent) -> Option<Effect> {
        let interaction = matches!(event, GameEvent::Command { .. } | GameEvent::Click { .. });
        let effects = self.games.apply(event, self.now, &mut self.rng);
        let responses = effects
            .iter()
            .filter(|e| matches!(e, Effect::Respond(_) | Effect::RespondScores(_)))
            .count();
        assert_eq!(responses, usize::from(interaction), "{effects:#?}");
        let response = if interaction {
            assert!(matches!(
                effects[0],
                Effect::Respond(_) | Effect::RespondScores(_)
            ));
            Some(effects[0].clone())
        } else {
            None
        };
        let mut reports = Vec::new();
        for effect in effects {
            match effect {
                Effect::Respond(reply) => assert_fits(&reply),
                Effect::RespondScores(_) => {}
                Effect::Post { reply, report, .. } => {
                    assert_fits(&reply);
                    self.next_message += 1;
                    self.posts.push((report, self.next_message, reply));
                    if let (Some(tag), true) = (report, self.report) {
                        reports.push((tag, self.next_message));
                    }
                }
                Effect::Edit {
                    message_id, reply, ..
                } => {
                    assert_fits(&reply);
                    assert!(
                        reply.rows.iter().flatten().all(|b| b.disabled),
                        "reveals disable every button"
                    );
                    self.edits.push((message_id, reply));
                }
                Effect::Save(save) => self.saves.push(save),
                Effect::WakeAt { at, .. } => assert!(at >= self.now),
                Effect::Ended { channel_id, .. } => self.ended |= channel_id == CHANNEL,
            }
        }
        for (tag, message_id) in reports {
            self.apply(GameEvent::Posted {
                channel_id: CHANNEL,
                tag,
                message_id,
            });
        }
        response
    }

    fn command(&mut self, caller: &Caller, request: GameRequest) -> Reply {
        match self.apply(GameEvent::Command {
            caller: caller.clone(),
            request,
        }) {
            Some(Effect::Respond(reply)) => reply,
            other => panic!("expected a reply, got {other:?}"),
        }
    }

    fn start(&mut self, caller: &Caller, questions: u8, seconds: u8) -> Reply {
        let settings = QuizSettings {
            questions,
            seconds,
            filter: Filter::default(),
        };
        self.command(caller, GameRequest::Start(settings))
    }

    fn click_id(&mut self, caller: &Caller, custom_id: &str) -> Reply {
        match self.apply(GameEvent::Click {
            caller: caller.clone(),
            custom_id: custom_id.to_string(),
        }) {
            Some(Effect::Respond(reply)) => reply,
            other => panic!("expected a reply, got {other:?}"),
        }
    }

    /// The custom_id of `option` on the newest question.
    fn button(&self, option: usize) -> String {
        let (_, _, reply) = self
            .posts
            .iter()
            .rev()
            .find(|(tag, _, _)| tag.is_some())
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

    fn click(&mut self, caller: &Caller, option: usize) -> Reply {
        let id = self.button(option);
        self.click_id(caller, &id)
    }

    fn answer(&self) -> usize {
        self.games.session(CHANNEL).unwrap().question().answer
    }

    fn wrong(&self) -> usize {
        (self.answer() + 1) % 2
    }

    fn wait(&mut self, ms: u64) {
        self.now = self.now.plus_millis(ms);
        self.apply(GameEvent::Tick {
            channel_id: CHANNEL,
        });
    }

    fn results(&self) -> Vec<&QuestionResults> {
        self.saves
            .iter()
            .filter_map(|s| match s {
                Save::Results(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    fn questions_posted(&self) -> usize {
        self.posts
            .iter()
            .filter(|(tag, _, _)| tag.is_some())
            .count()
    }
}

fn assert_fits(reply: &Reply) {
    assert_eq!(reply.violations(), Vec::<String>::new(), "{reply:#?}");
}

#[test]
fn a_three_question_quiz_scores_by_speed_and_ends_with_a_podium() {
    let mut table = Table::new();
    let (alice, bob, carol) = (player("alice", 1), player("bob", 2), player("carol", 3));
    let start = table.start(&alice, 3, 20);
    assert!(!start.ephemeral && start.text.contains("**alice** started a quiz: 3 questions"));
    let question = &table.posts[0].2;
    assert_eq!(question.title.split(" · ").next(), Some("Question 1 of 3"));
    let deadline = START.plus_secs(20);
    assert!(
        question
            .text
            .ends_with(&format!("Closes {}.", deadline.relative()))
    );

    // Question 1: alice right after 2 s, bob wrong, carol right at 15 s.
    table.now = START.plus_millis(2_000);
    let right = table.answer();
    let ack = table.click(&alice, right);
    assert!(
        ack.ephemeral && ack.text.starts_with("Locked in: **"),
        "{ack:?}"
    );
    table.click(&bob, table.wrong());
    table.now = START.plus_millis(15_000);
    table.click(&carol, right);
    assert!(
        table.edits.is_empty(),
        "the first question waits for its deadline"
    );
    table.wait(5_000);
    assert_eq!(table.edits.len(), 1);
    let (message_id, reveal) = &table.edits[0];
    assert_eq!(
        *message_id, table.posts[0].1,
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
        got_it.value,
        format!("alice +{alice_points}\ncarol +{carol_points}")
    );
    let correct_button = reveal.rows.iter().flatten().nth(right).unwrap();
    assert_eq!(correct_button.style, ButtonStyle::Success);
    assert!(reveal.fields.iter().any(|f| f.name == "Source"));
    let results = table.results();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].answers.len(), 3);

    // Question 2 comes after the pause; all three answer, so it closes at once.
    table.wait(REVEAL_PAUSE_MS);
    assert_eq!(table.questions_posted(), 2);
    let asked = table.now;
    table.now = asked.plus_millis(1_000);
    let right = table.answer();
    table.click(&alice, right);
    table.click(&bob, right);
    assert_eq!(table.edits.len(), 1);
    table.click(&carol, table.wrong());
    assert_eq!(table.edits.len(), 2, "everyone answered: revealed at once");

    // Question 3 and the end.
    table.wait(REVEAL_PAUSE_MS);
    let right = table.answer();
    table.click(&alice, right);
    table.wait(20_000);
    assert!(table.ended);
    assert!(table.games.is_empty());
    let (tag, _, podium) = table.posts.last().unwrap();
    assert!(tag.is_none());
    assert_eq!(podium.title, "Quiz over");
    assert!(podium.text.starts_with("🥇 **alice**"), "{}", podium.text);
    let standings = &podium.fields[0].value;
    assert!(standings.starts_with("1. alice — "), "{standings}");
    assert_eq!(standings.lines().count(), 3);
    // Two channel writes per question, plus the podium.
    assert_eq!(table.questions_posted(), 3);
    assert_eq!(table.edits.len(), 3);
    assert_eq!(table.posts.len(), 4);
    assert!(matches!(table.saves.last(), Some(Save::Finished { .. })));
    // Alice's streak: 1, 2, 3 right answers in a row.
    let streaks: Vec<u32> = table
        .results()
        .iter()
        .flat_map(|r| {
            r.answers
                .iter()
                .filter(|a| a.user_id == 1)
                .map(|a| a.streak)
        })
        .collect();
    assert_eq!(streaks, [1, 2, 3]);
}

#[test]
fn streaks_add_a_bonus_and_wrong_answers_reset_them() {
    assert_eq!(score_points(0, 20_000, 1), 1000);
    assert_eq!(score_points(20_000, 20_000, 1), 500);
    assert_eq!(score_points(30_000, 20_000, 1), 500);
    assert_eq!(score_points(10_000, 20_000, 2), 850);
    assert_eq!(score_points(0, 20_000, 3), 1200);
    assert_eq!(score_points(0, 20_000, 50), 1500, "the bonus is capped");

    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    table.start(&alice, 5, 10);
    let mut points = Vec::new();
    for round in 0..4 {
        let right = table.answer();
        let alice_choice = if round == 2 { table.wrong() } else { right };
        table.click(&alice, alice_choice);
        table.click(&bob, table.wrong());
        if table.games.session(CHANNEL).unwrap().deadline().is_some() {
            // The first question waits for its deadline; later ones close when both
            // players have answered.
            table.wait(10_000);
        }
        let results = table.results();
        let last = results.last().unwrap();
        let alice_result = last.answers.iter().find(|a| a.user_id == 1).unwrap();
        points.push((alice_result.points, alice_result.streak));
        table.wait(REVEAL_PAUSE_MS);
    }
    // Answered at once: 1000, then 1000 + 100 for two in a row, then wrong, then 1000.
    assert_eq!(points, [(1000, 1), (1100, 2), (0, 0), (1000, 1)]);
}

#[test]
fn clicks_that_do_not_count_get_a_private_notice() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    table.start(&alice, 5, 20);
    let first = table.answer();
    let ack = table.click(&alice, first);
    assert!(ack.ephemeral);

    // A second click, even on another option.
    let again = table.click(&alice, (first + 1) % 4);
    assert!(again.ephemeral && again.is_error());
    assert!(
        again.text.starts_with("You already chose **"),
        "{}",
        again.text
    );

    // A bot's click is not counted.
    let mut bot = player("robot", 9);
    bot.is_bot = true;
    assert_eq!(table.click(&bot, first).text, "Bots can't play.");

    // Forged and foreign buttons.
    let quiz = table.games.session(CHANNEL).unwrap().id();
    for (forged, notice) in [
        ("quiz:zz:1:0", "That button is not one of"),
        ("quiz:1:1", "That button is not one of"),
        ("quiz::1:0", "That button is not one of"),
        ("timeline:1::::", "That button is not one of"),
        (&format!("quiz:{quiz:x}:1:7"), "That button is not one of"),
        (&format!("quiz:{quiz:x}:9:0"), "That button is not one of"),
        (&format!("quiz:{quiz:x}:0:0"), "That button is not one of"),
        (&format!("quiz:{:x}:1:0", quiz + 1), "This quiz is over"),
    ] {
        let reply = table.click_id(&player("mallory", 66), forged);
        assert!(reply.ephemeral && reply.is_error(), "{forged}");
        assert!(reply.text.starts_with(notice), "{forged}: {}", reply.text);
    }
    // The same button in another channel belongs to no quiz there.
    let mut elsewhere = player("mallory", 66);
    elsewhere.channel_id = CHANNEL + 1;
    let id = table.button(0);
    assert!(
        table
            .click_id(&elsewhere, &id)
            .text
            .starts_with("This quiz is over")
    );

    // A late click, before the wake-up arrives: time's up, and the question closes.
    let old = table.button(0);
    table.now = START.plus_secs(21);
    let late = table.click(&player("bob", 2), 0);
    assert_eq!(late.text, "Time's up: this question is closed.");
    assert_eq!(table.edits.len(), 1, "the late event closed the question");
    let results = table.results();
    assert_eq!(
        results[0].answers.len(),
        1,
        "only alice counted: {results:?}"
    );
    // After the pause, the old question's buttons are closed.
    table.wait(REVEAL_PAUSE_MS);
    let stale = table.click_id(&alice, &old);
    assert_eq!(
        stale.text,
        "That question is closed: answer the newest one."
    );
}

#[test]
fn five_hundred_simultaneous_clicks_each_count_exactly_once() {
    let mut table = Table::new();
    let host = player("host", 1);
    table.start(&host, 5, 30);
    let id = table.button(0);
    let mut acks = 0;
    let mut refused = 0;
    // Every player clicks twice, all within the same millisecond.
    for round in 0..2 {
        for n in 0..500u64 {
            let reply = table.click_id(&player(&format!("p{n}"), 100 + n), &id);
            if round == 0 {
                assert!(reply.text.starts_with("Locked in"), "{}", reply.text);
                acks += 1;
            } else {
                assert!(
                    reply.text.starts_with("You already chose"),
                    "{}",
                    reply.text
                );
                refused += 1;
            }
        }
    }
    assert_eq!((acks, refused), (500, 500));
    table.wait(30_000);
    let results = table.results();
    assert_eq!(results.len(), 1);
    let mut users: Vec<u64> = results[0].answers.iter().map(|a| a.user_id).collect();
    users.sort_unstable();
    users.dedup();
    assert_eq!(users.len(), 500);
    assert_eq!(results[0].answers.len(), 500);
    // The reveal counts them, and still fits Discord.
    let label = &table.edits[0].1.rows[0][0].label;
    assert!(label.ends_with(" · 500"), "{label}");
}

#[test]
fn a_quiz_nobody_answers_ends_after_two_questions() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    table.start(&alice, 10, 10);
    table.wait(10_000);
    assert_eq!(table.edits.len(), 1);
    let reveal = &table.edits[0].1;
    assert!(
        reveal
            .fields
            .iter()
            .any(|f| f.name == "Got it right (0 of 0)" && f.value == "Nobody.")
    );
    assert!(!table.ended);
    table.wait(REVEAL_PAUSE_MS);
    table.wait(10_000);
    assert!(table.ended);
    let podium = &table.posts.last().unwrap().2;
    assert!(
        podium
            .text
            .starts_with("Nobody answered two questions in a row"),
        "{}",
        podium.text
    );
    assert_eq!(table.questions_posted(), 2);
    assert!(table.results().is_empty(), "nothing to save");
}

#[test]
fn one_answered_question_resets_the_idle_count() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    table.start(&alice, 5, 10);
    table.wait(10_000); // nobody
    table.wait(REVEAL_PAUSE_MS);
    table.click(&alice, 0);
    table.wait(10_000);
    table.wait(REVEAL_PAUSE_MS);
    table.wait(10_000); // nobody
    assert!(!table.ended);
    table.wait(REVEAL_PAUSE_MS);
    table.wait(10_000); // nobody, twice in a row
    assert!(table.ended);
}

#[test]
fn stop_is_for_the_starter_or_moderators_and_reveals_the_open_question() {
    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    table.start(&alice, 10, 20);
    table.click(&bob, 0);
    let refused = table.command(&bob, GameRequest::Stop);
    assert!(refused.is_error() && refused.text.starts_with("Only alice (who started it)"));
    let skip = table.command(&bob, GameRequest::Skip);
    assert!(skip.is_error() && skip.text.starts_with("Only alice, who started"));
    let mut moderator = player("mod", 3);
    moderator.permissions = MANAGE_MESSAGES;
    let stopped = table.command(&moderator, GameRequest::Stop);
    assert_eq!(stopped.text, "Quiz stopped by mod.");
    assert!(!stopped.ephemeral);
    assert!(table.ended);
    assert_eq!(table.edits.len(), 1, "the open question is revealed");
    assert_eq!(table.results()[0].answers.len(), 1, "bob's answer counts");
    let podium = &table.posts.last().unwrap().2;
    assert_eq!(podium.title, "Quiz stopped");
    // The channel is free again.
    let again = table.start(&bob, 5, 10);
    assert!(!again.is_error());
    let none = Table::new().command(&alice, GameRequest::Stop);
    assert!(none.text.starts_with("No quiz is running in this channel"));
}

#[test]
fn skip_reveals_now_and_does_not_count_as_unanswered() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    table.start(&alice, 5, 20);
    let skipped = table.command(&alice, GameRequest::Skip);
    assert!(skipped.ephemeral && skipped.text == "Question 1 skipped.");
    assert_eq!(table.edits.len(), 1);
    // Skipping between questions asks the next one at once.
    let next = table.command(&alice, GameRequest::Skip);
    assert_eq!(next.text, "On to the next question.");
    assert_eq!(table.questions_posted(), 2);
    table.command(&alice, GameRequest::Skip);
    table.command(&alice, GameRequest::Skip);
    assert!(!table.ended, "skipped questions are not idle ones");
}

#[test]
fn one_quiz_per_channel_and_the_second_start_says_when_the_first_ends() {
    let mut table = Table::new();
    table.start(&player("alice", 1), 5, 20);
    let second = table.start(&player("bob", 2), 5, 20);
    assert!(second.ephemeral && second.is_error());
    // 20 s for this question, then 4 more of 5 + 20 s.
    let ends = START.plus_secs(20 + 4 * 25);
    assert_eq!(
        second.text,
        format!(
            "A quiz is already running here, it ends {}.",
            ends.relative()
        )
    );
    let whosaid = table.command(&player("bob", 2), GameRequest::WhoSaid);
    assert!(whosaid.text.starts_with("A quiz is already running here"));
    // Another channel is independent.
    let mut elsewhere = player("bob", 2);
    elsewhere.channel_id = CHANNEL + 1;
    assert!(!table.start(&elsewhere, 5, 20).is_error());
    assert_eq!(table.games.len(), 2);
    // Not in direct messages.
    let mut dm = player("bob", 2);
    dm.guild_id = None;
    assert!(
        table
            .start(&dm, 5, 20)
            .text
            .contains("not in direct messages")
    );
}

#[test]
fn whosaid_is_one_quote_open_to_all_for_twenty_seconds_with_one_edit() {
    let mut table = Table::new();
    let (alice, bob) = (player("alice", 1), player("bob", 2));
    let ack = table.command(&alice, GameRequest::WhoSaid);
    assert!(ack.ephemeral && !ack.is_error());
    let session = table.games.session(CHANNEL).unwrap();
    assert_eq!(session.mode(), Mode::WhoSaid);
    assert_eq!(session.question().kind, Kind::WhoSaidIt);
    assert_eq!(table.posts[0].2.title, "Who said it?");
    let right = table.answer();
    table.click(&alice, right);
    table.click(&bob, (right + 1) % 4);
    assert!(table.edits.is_empty(), "anyone may still answer");
    table.wait(19_999);
    assert!(table.edits.is_empty());
    table.wait(1);
    assert_eq!(table.edits.len(), 1);
    assert!(table.ended);
    assert_eq!(table.posts.len(), 1, "no podium for one question");
    let reveal = &table.edits[0].1;
    assert!(reveal.fields.iter().any(|f| f.value.starts_with("alice +")));
    assert!(!reveal.fields.iter().any(|f| f.name == "Top 5"));
}

#[test]
fn a_reveal_waits_for_its_message_id_when_the_post_is_slow() {
    let mut table = Table::new();
    table.report = false;
    let alice = player("alice", 1);
    table.start(&alice, 5, 10);
    table.wait(10_000);
    assert!(table.edits.is_empty(), "no message id yet");
    let (tag, id, _) = table.posts[0].clone();
    table.apply(GameEvent::Posted {
        channel_id: CHANNEL,
        tag: tag.unwrap(),
        message_id: id,
    });
    assert_eq!(table.edits.len(), 1);
    assert_eq!(table.edits[0].0, id);
    // A repeated report changes nothing.
    table.apply(GameEvent::Posted {
        channel_id: CHANNEL,
        tag: tag.unwrap(),
        message_id: id,
    });
    assert_eq!(table.edits.len(), 1);
}

#[test]
fn the_question_in_flight_is_saved_when_its_message_is_known() {
    let mut table = Table::new();
    table.start(&player("alice", 1), 5, 10);
    let in_flight: Vec<_> = table
        .saves
        .iter()
        .filter_map(|s| match s {
            Save::InFlight(q) => Some(q.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(in_flight.len(), 1);
    assert_eq!(in_flight[0].message_id, table.posts[0].1);
    assert_eq!(in_flight[0].labels.len(), 4);
    let interrupted = feudbot::quiz::interrupted_reply(&in_flight[0]);
    assert_fits(&interrupted);
    let ids: Vec<&str> = interrupted.rows[0]
        .iter()
        .map(|b| b.custom_id.as_str())
        .collect();
    let posted: Vec<&str> = table.posts[0].2.rows[0]
        .iter()
        .map(|b| b.custom_id.as_str())
        .collect();
    assert_eq!(ids, posted, "the same buttons, disabled");
    assert!(interrupted.rows[0].iter().all(|b| b.disabled));
}

#[test]
fn score_commands_are_passed_to_the_store() {
    let mut table = Table::new();
    let alice = player("alice", 1);
    let effect = table.apply(GameEvent::Command {
        caller: alice.clone(),
        request: GameRequest::Stats { user: None },
    });
    let Some(Effect::RespondScores(query)) = effect else {
        panic!("{effect:?}");
    };
    assert_eq!(query.guild_id, GUILD);
    assert_eq!(
        query.request,
        feudbot::quiz::ScoreRequest::Stats { user_id: 1 }
    );
}

/// Every game command, with every kind of value, through the command table and the
/// game: each answer fits Discord, and errors (only errors) are private, except the
/// private acknowledgements of a started `/whosaid`.
#[test]
fn every_game_command_with_every_kind_of_value_fits_discord() {
    let values = [
        "",
        "0",
        "1",
        "5",
        "10",
        "20",
        "21",
        "60",
        "61",
        "-1",
        "x",
        "who-said-it",
        "hard",
        "week",
        "all",
        "<@123>",
        "@alice",
        "123",
        "🔥",
        &"x".repeat(300),
    ];
    let mut replies = 0;
    for spec in COMMANDS
        .iter()
        .filter(|s| matches!(s.run, commands::Run::Game))
    {
        let forms: Vec<(Option<&str>, &[commands::OptionSpec])> = if spec.subcommands.is_empty() {
            vec![(None, spec.options)]
        } else {
            spec.subcommands
                .iter()
                .map(|sub| (Some(sub.name), sub.options))
                .collect()
        };
        for (subcommand, options) in forms {
            let mut invocations = vec![Vec::new()];
            for option in options {
                for value in values {
                    invocations.push(vec![(
                        option.name.to_string(),
                        Value::Text(value.to_string()),
                    )]);
                }
            }
            for options in invocations {
                let invocation = Invocation {
                    command: spec.name.to_string(),
                    subcommand: subcommand.map(str::to_string),
                    options,
                };
                let mut table = Table::new();
                let reply = match commands::game_request(&invocation) {
                    Ok(request) => match table.apply(GameEvent::Command {
                        caller: player("alice", 1),
                        request,
                    }) {
                        Some(Effect::Respond(reply)) => reply,
                        Some(Effect::RespondScores(_)) => {
                            replies += 1;
                            continue;
                        }
                        other => panic!("{other:?}"),
                    },
                    Err(error) => Reply::error(&error.0),
                };
                assert_fits(&reply);
                if reply.is_error() {
                    assert!(reply.ephemeral, "{invocation:?}");
                }
                replies += 1;
            }
        }
    }
    assert!(replies > 100, "{replies}");
}

#[test]
fn game_requests_read_the_options() {
    let parse = |line: &str| commands::game_request(&commands::parse_line(line).unwrap());
    assert_eq!(
        parse("/quiz start questions:5 seconds:15 kind:numbers difficulty:hard"),
        Ok(GameRequest::Start(QuizSettings {
            questions: 5,
            seconds: 15,
            filter: Filter {
                kind: Some(Kind::Numbers),
                difficulty: Some(feudbot::quiz::Difficulty::Hard),
            },
        }))
    );
    assert_eq!(
        parse("/quiz start"),
        Ok(GameRequest::Start(QuizSettings::default()))
    );
    assert_eq!(
        parse("/quiz start questions:30").unwrap_err().0,
        "`questions` must be between 5 and 20. Type it like this: `/quiz start questions:10`"
    );
    assert_eq!(
        parse("/leaderboard period:week page:2"),
        Ok(GameRequest::Leaderboard {
            period: feudbot::quiz::Period::Week,
            page: 2
        })
    );
    assert_eq!(
        parse("/stats user:<@42>"),
        Ok(GameRequest::Stats { user: Some(42) })
    );
    assert!(
        parse("/stats user:alice")
            .unwrap_err()
            .0
            .starts_with("`user` must be a member")
    );
    assert!(parse("/timeline").is_err());
}
