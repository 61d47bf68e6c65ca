//! Scores on each backend (a SQLite file, a PostgreSQL database): each question's
//! results in one transaction, leaderboards (all time, this week, pages), stats, and
//! what a restart finds after a crash; and `/leaderboard` and `/stats` answered from
//! them.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use feudbot::app::Clicked;
use feudbot::daily::DailySchedule;
use feudbot::quiz::{AnswerResult, InFlight, QuestionResults, Save, UnixMillis};
use feudbot::reply::Reply;
use feudbot::store::{Shards, Store};
use sqlx::Connection;
use support::databases::TestDb;
use support::recorder::{Core, Done, response};

on_both_backends!(
    leaderboards_count_points_per_server_all_time_and_this_week,
    stats_give_games_answers_accuracy_best_streak_points_and_rank,
    saving_a_question_twice_counts_it_once,
    after_a_crash_only_committed_questions_count_and_the_quiz_is_found_in_flight,
    tied_players_share_a_rank_and_medals_go_to_points_only,
    the_leaderboard_footer_points_to_the_next_page_and_a_page_past_the_end_says_so,
    running_totals_agree_with_every_answer_summed,
    leaderboard_pages_turn_with_buttons_and_show_the_callers_own_place,
    a_crowd_of_hundreds_is_saved_whole_and_each_player_once,
    a_servers_week_starts_on_monday_in_its_daily_post_time_zone,
    managers_reset_the_week_or_all_time_after_confirming_in_time,
);

const GUILD: u64 = 1;
/// Friday 14 February 2025, 15:00 UTC.
const NOW: UnixMillis = UnixMillis(1_739_545_200_000);
/// Monday 10 February 2025, 00:00 UTC: the start of `NOW`'s week.
const MONDAY: UnixMillis = UnixMillis(1_739_145_600_000);
const DAY: u64 = 86_400_000;
const HOUR: u64 = 3_600_000;

fn url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("scores.db").display())
}

fn answer(user_id: u64, name: &str, correct: bool, points: u32, streak: u32) -> AnswerResult {
    AnswerResult {
        user_id,
        user_name: name.to_string(),
        correct,
        points,
        streak,
    }
}

fn results(quiz_id: u64, question: u8, at: UnixMillis, answers: Vec<AnswerResult>) -> Save {
    Save::Results(QuestionResults {
        quiz_id,
        guild_id: GUILD,
        channel_id: 10,
        started_at: at,
        question,
        at,
        answers,
    })
}

fn in_flight(quiz_id: u64, question: u8, message_id: u64) -> Save {
    Save::InFlight(InFlight {
        quiz_id,
        guild_id: GUILD,
        channel_id: 10,
        started_at: NOW,
        message_id,
        question,
        labels: vec!["A · Elon Musk".into(), "B · Sam Altman".into()],
    })
}

async fn leaderboards_count_points_per_server_all_time_and_this_week(db: TestDb) {
    let core = Core::on(db, NOW.to_datetime());
    let store = core.app.store().await.unwrap();
    let last_week = UnixMillis(NOW.0 - 7 * DAY);
    for save in [
        results(
            1,
            1,
            last_week,
            vec![
                answer(10, "alice", true, 1000, 1),
                answer(20, "bob", true, 900, 1),
            ],
        ),
        results(
            2,
            1,
            NOW,
            vec![
                answer(20, "bob", true, 800, 1),
                answer(30, "carol", false, 0, 0),
            ],
        ),
        results(2, 2, NOW, vec![answer(20, "bobby", true, 700, 2)]),
    ] {
        store.save(&save).await.unwrap();
    }
    // Another server's points never mix in.
    let mut elsewhere = results(3, 1, NOW, vec![answer(10, "alice", true, 5000, 1)]);
    if let Save::Results(r) = &mut elsewhere {
        r.guild_id = 2;
    }
    store.save(&elsewhere).await.unwrap();

    let all = store.leaderboard(GUILD, None, 1, 10).await.unwrap();
    let rows: Vec<(u32, &str, u64, u64, u64)> = all
        .rows
        .iter()
        .map(|r| (r.rank, r.name.as_str(), r.points, r.correct, r.answers))
        .collect();
    assert_eq!(
        rows,
        [
            (1, "bobby", 2400, 3, 3),
            (2, "alice", 1000, 1, 1),
            (3, "carol", 0, 0, 1)
        ],
        "the latest name is shown"
    );
    assert_eq!((all.page, all.pages, all.players), (1, 1, 3));

    let week = store.leaderboard(GUILD, Some(MONDAY), 1, 10).await.unwrap();
    let names: Vec<&str> = week.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["bobby", "carol"]);
    assert_eq!(week.rows[0].points, 1500);

    let page = store.leaderboard(GUILD, None, 2, 2).await.unwrap();
    assert_eq!((page.page, page.pages), (2, 2));
    assert_eq!(page.rows.len(), 1);
    assert_eq!(
        (page.rows[0].rank, page.rows[0].name.as_str()),
        (3, "carol")
    );
    let past_the_end = store.leaderboard(GUILD, None, 99, 2).await.unwrap();
    assert_eq!(past_the_end.page, 2, "a page past the end shows the last");

    let empty = store.leaderboard(99, None, 1, 10).await.unwrap();
    assert!(empty.rows.is_empty());
    assert_eq!((empty.page, empty.pages, empty.players), (1, 1, 0));

    let reply = core.ask("/leaderboard").await;
    assert!(
        reply
            .text
            .to_string()
            .starts_with("🥇 **bobby** · 2400 points · 3/3 right"),
        "{reply:?}"
    );
    assert_eq!(reply.footer.as_deref(), Some("Page 1 of 1 · 3 players"));
    let reply = core.ask("/leaderboard period:week").await;
    assert_eq!(reply.title, "Leaderboard · this week");
    assert!(
        reply
            .text
            .to_string()
            .starts_with("🥇 **bobby** · 1500 points · 2/2 right"),
        "{reply:?}"
    );
}

async fn a_servers_week_starts_on_monday_in_its_daily_post_time_zone(db: TestDb) {
    let core = Core::on(db, NOW.to_datetime());
    let store = core.app.store().await.unwrap();
    const TOKYO: u64 = 2;
    let schedule = DailySchedule {
        channel_id: 10,
        time: "09:00".parse().unwrap(),
        zone: "Asia/Tokyo".parse().unwrap(),
        paused: None,
        recap: false,
    };
    store
        .daily()
        .set(TOKYO, &schedule, NOW.to_datetime())
        .await
        .unwrap();
    // Sunday 9 February, 16:00 UTC: still last week in UTC, Monday 01:00 in Tokyo.
    let sunday_evening = UnixMillis(MONDAY.0 - 8 * HOUR);
    for (quiz_id, guild_id) in [(1, GUILD), (2, TOKYO)] {
        let mut save = results(
            quiz_id,
            1,
            sunday_evening,
            vec![answer(10, "alice", true, 700, 1)],
        );
        if let Save::Results(r) = &mut save {
            r.guild_id = guild_id;
        }
        store.save(&save).await.unwrap();
    }
    let players = |guild_id| {
        let store = store.clone();
        async move {
            let week = store.leaderboard(guild_id, Some(NOW), 1, 10).await.unwrap();
            week.rows.iter().map(|r| r.points).collect::<Vec<_>>()
        }
    };
    assert_eq!(players(GUILD).await, Vec::<u64>::new(), "UTC: last week");
    assert_eq!(players(TOKYO).await, [700], "Tokyo: this week");
    // The Tokyo week began at Sunday 15:00 UTC: an instant before it is last week.
    let before = UnixMillis(MONDAY.0 - 9 * HOUR - 1);
    let last = store.leaderboard(TOKYO, Some(before), 1, 10).await.unwrap();
    assert!(last.rows.is_empty(), "{last:?}");
}

async fn managers_reset_the_week_or_all_time_after_confirming_in_time(db: TestDb) {
    let core = Core::on(db, NOW.to_datetime());
    let store = core.app.store().await.unwrap();
    let last_week = UnixMillis(NOW.0 - 7 * DAY);
    for save in [
        results(1, 1, last_week, vec![answer(10, "alice", true, 1000, 1)]),
        results(2, 1, NOW, vec![answer(20, "bob", true, 800, 1)]),
    ] {
        store.save(&save).await.unwrap();
    }
    let admin = Core::admin("admin", 7);
    let buttons = |reply: &Reply| -> Vec<(String, String)> {
        reply
            .rows
            .iter()
            .flatten()
            .map(|b| (b.label.clone(), b.custom_id.clone()))
            .collect()
    };

    // This week's points: asked privately, confirmed in time.
    let question = response(&core.line(&admin, "/leaderboard-reset period:week").await);
    assert!(question.ephemeral && !question.is_error(), "{question:?}");
    assert!(
        question
            .text
            .to_string()
            .starts_with("This erases this week's points in this server, for 1 player."),
        "{question:?}"
    );
    let expires = NOW.to_datetime().timestamp() + 60;
    assert_eq!(
        buttons(&question),
        [
            (
                "Reset".to_string(),
                format!("leaderboard-reset:week:{expires}")
            ),
            ("Cancel".to_string(), "leaderboard-reset:cancel".to_string()),
        ]
    );
    // A member without Manage Server cannot confirm it, even with the button's id.
    let refused = response(
        &core
            .click(
                &Core::member("eve", 9),
                &buttons(&question)[0].1,
                Clicked::Reply,
            )
            .await,
    );
    assert!(refused.is_error() && refused.ephemeral, "{refused:?}");
    let done = core
        .click(&admin, &buttons(&question)[0].1, Clicked::Reply)
        .await;
    let Done::Update(reset) = &done[0] else {
        panic!("the question is replaced: {done:?}");
    };
    assert_eq!(reset.title, "Leaderboard reset");
    assert!(
        store
            .leaderboard(GUILD, Some(NOW), 1, 10)
            .await
            .unwrap()
            .rows
            .is_empty()
    );
    let all = store.leaderboard(GUILD, None, 1, 10).await.unwrap();
    assert_eq!(all.players, 2, "all-time points stay");

    // All time: a confirmation clicked too late resets nothing; cancel neither.
    let question = response(&core.line(&admin, "/leaderboard-reset period:all").await);
    assert!(
        question.text.to_string().contains("for 2 players"),
        "{question:?}"
    );
    core.clock.advance(chrono::Duration::seconds(61));
    let late = response(
        &core
            .click(&admin, &buttons(&question)[0].1, Clicked::Reply)
            .await,
    );
    assert!(late.text.to_string().contains("expired"), "{late:?}");
    let cancel = response(
        &core
            .click(&admin, "leaderboard-reset:cancel", Clicked::Reply)
            .await,
    );
    assert_eq!(cancel.text.to_string(), "Nothing was reset.");
    assert_eq!(
        store.leaderboard(GUILD, None, 1, 10).await.unwrap().players,
        2
    );
    let question = response(&core.line(&admin, "/leaderboard-reset period:all").await);
    response(
        &core
            .click(&admin, &buttons(&question)[0].1, Clicked::Reply)
            .await,
    );
    assert_eq!(
        store.leaderboard(GUILD, None, 1, 10).await.unwrap().players,
        0
    );
    assert_eq!(store.stats(GUILD, 10).await.unwrap(), None);
    // The next answer starts the boards over.
    store
        .save(&results(3, 1, NOW, vec![answer(10, "alice", true, 300, 1)]))
        .await
        .unwrap();
    let all = store.leaderboard(GUILD, None, 1, 10).await.unwrap();
    assert_eq!(all.rows[0].points, 300);

    // Nothing left to reset this week after a reset of it: no button.
    let question = response(&core.line(&admin, "/leaderboard-reset period:week").await);
    core.click(&admin, &buttons(&question)[0].1, Clicked::Reply)
        .await;
    let nothing = response(&core.line(&admin, "/leaderboard-reset period:week").await);
    assert!(buttons(&nothing).is_empty(), "{nothing:?}");
    assert!(
        nothing
            .text
            .to_string()
            .eq("Nobody has scored this week yet, so there is nothing to reset."),
        "{nothing:?}"
    );
}

async fn stats_give_games_answers_accuracy_best_streak_points_and_rank(db: TestDb) {
    let core = Core::on(db, NOW.to_datetime());
    let store = core.app.store().await.unwrap();
    for save in [
        results(
            1,
            1,
            NOW,
            vec![
                answer(10, "alice", true, 900, 1),
                answer(20, "bob", true, 1000, 1),
            ],
        ),
        results(1, 2, NOW, vec![answer(10, "alice", true, 1000, 2)]),
        results(1, 3, NOW, vec![answer(10, "alice", false, 0, 0)]),
        results(2, 1, NOW, vec![answer(10, "alice", true, 700, 1)]),
    ] {
        store.save(&save).await.unwrap();
    }
    let stats = store.stats(GUILD, 10).await.unwrap().unwrap();
    assert_eq!(
        (
            stats.games,
            stats.answers,
            stats.correct,
            stats.best_streak,
            stats.points,
            stats.rank
        ),
        (2, 4, 3, 2, 2600, 1)
    );
    assert_eq!(store.stats(GUILD, 20).await.unwrap().unwrap().rank, 2);
    assert_eq!(store.stats(GUILD, 30).await.unwrap(), None);
    assert_eq!(store.stats(2, 10).await.unwrap(), None);

    let reply = core.ask("/stats user:@10").await;
    assert_eq!(reply.title, "Trivia stats");
    assert_eq!(reply.text.to_string(), "**alice** in this server");
    let accuracy = reply.fields.iter().find(|f| f.name == "Accuracy").unwrap();
    assert_eq!(accuracy.value.to_string(), "75% (3 of 4)");
    assert!(
        core.ask("/stats user:@30")
            .await
            .text
            .to_string()
            .starts_with("No answers from @30 in this server yet.")
    );
}

async fn saving_a_question_twice_counts_it_once(db: TestDb) {
    let store = db.open().await;
    let save = results(1, 1, NOW, vec![answer(10, "alice", true, 900, 1)]);
    store.save(&save).await.unwrap();
    store.save(&save).await.unwrap();
    let stats = store.stats(GUILD, 10).await.unwrap().unwrap();
    assert_eq!((stats.answers, stats.points), (1, 900));
}

async fn after_a_crash_only_committed_questions_count_and_the_quiz_is_found_in_flight(db: TestDb) {
    {
        let store = db.open().await;
        // A quiz that ended normally, and one cut short during question 2.
        store.save(&in_flight(7, 1, 500)).await.unwrap();
        store
            .save(&results(7, 1, NOW, vec![answer(10, "alice", true, 900, 1)]))
            .await
            .unwrap();
        store
            .save(&Save::Finished {
                quiz_id: 7,
                at: NOW,
            })
            .await
            .unwrap();
        store.save(&in_flight(8, 1, 600)).await.unwrap();
        store
            .save(&results(8, 1, NOW, vec![answer(10, "alice", true, 800, 1)]))
            .await
            .unwrap();
        store.save(&in_flight(8, 2, 601)).await.unwrap();
    }
    {
        // Question 2's transaction is under way when the process dies: its answer is
        // written but never committed (the database discards it, as on recovery).
        let mut connection = db.connect().await;
        let mut tx = connection.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO answers (quiz_id, question, guild_id, user_id, correct, points, streak,
                                  answered_at)
             VALUES (8, 2, 1, 10, 1, 1000, 2, 0)",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        drop(tx);
        drop(connection);
    }

    let store = db.open().await;
    let stats = store.stats(GUILD, 10).await.unwrap().unwrap();
    assert_eq!(
        (stats.answers, stats.points),
        (2, 1700),
        "question 2 of quiz 8 is lost"
    );
    let in_flight = store.quizzes_in_flight(Shards::all(1)).await.unwrap();
    assert_eq!(in_flight.len(), 1);
    let quiz = &in_flight[0];
    assert_eq!((quiz.quiz_id, quiz.question, quiz.message_id), (8, 2, 601));
    assert_eq!(quiz.labels, ["A · Elon Musk", "B · Sam Altman"]);
    let reply = feudbot::quiz::interrupted_reply(quiz);
    assert_eq!(reply.title, "Quiz interrupted");
    assert!(reply.rows[0].iter().all(|b| b.disabled));
    assert_eq!(
        store
            .interrupt_unfinished(NOW, Shards::all(1))
            .await
            .unwrap(),
        1
    );
    assert!(
        store
            .quizzes_in_flight(Shards::all(1))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Saves one answer for each of `points` (user ids from 100, named `p<id>`) in quiz
/// `quiz_id`.
async fn scored(store: &Store, quiz_id: u64, points: &[u32]) {
    let answers = points
        .iter()
        .zip(100..)
        .map(|(&p, id)| answer(id, &format!("p{id}"), p > 0, p, u32::from(p > 0)))
        .collect();
    store
        .save(&results(quiz_id, 1, NOW, answers))
        .await
        .unwrap();
}

async fn tied_players_share_a_rank_and_medals_go_to_points_only(db: TestDb) {
    let empty = db.another().await;
    let core = Core::on(db, NOW.to_datetime());
    let store = core.app.store().await.unwrap();
    scored(store, 1, &[900, 500, 500, 100, 0, 0]).await;
    let board = store.leaderboard(GUILD, None, 1, 10).await.unwrap();
    let ranks: Vec<(u32, u64)> = board.rows.iter().map(|r| (r.rank, r.points)).collect();
    assert_eq!(
        ranks,
        [(1, 900), (2, 500), (2, 500), (4, 100), (5, 0), (5, 0)]
    );
    // A tie across a page boundary keeps its rank on the next page.
    let second = store.leaderboard(GUILD, None, 2, 2).await.unwrap();
    assert_eq!(second.rows[0].rank, 2);
    assert_eq!(store.stats(GUILD, 102).await.unwrap().unwrap().rank, 2);
    assert_eq!(store.stats(GUILD, 105).await.unwrap().unwrap().rank, 5);

    let lines: Vec<String> = core
        .ask("/leaderboard")
        .await
        .text
        .to_string()
        .lines()
        .map(|line| line.split(" · ").next().unwrap().to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "🥇 **p100**",
            "🥈 **p101**",
            "🥈 **p102**",
            "4. **p103**",
            "5. **p104**",
            "5. **p105**"
        ]
    );

    // Nobody with points: no medals at all.
    let core = Core::on(empty, NOW.to_datetime());
    let store = core.app.store().await.unwrap();
    scored(store, 1, &[0, 0]).await;
    let text = core.ask("/leaderboard").await.text.to_string();
    assert!(text.starts_with("1. **p100** · 0 points"), "{text}");
    assert!(!text.contains('🥇'), "{text}");
}

async fn the_leaderboard_footer_points_to_the_next_page_and_a_page_past_the_end_says_so(
    db: TestDb,
) {
    let core = Core::on(db, NOW.to_datetime());
    let store = core.app.store().await.unwrap();
    let points: Vec<u32> = (1..=25).rev().map(|n| n * 10).collect();
    scored(store, 1, &points).await;
    let footer = |reply: feudbot::reply::Reply| reply.footer.unwrap_or_default();
    assert_eq!(
        footer(core.ask("/leaderboard").await),
        "Page 1 of 3 · 25 players · /leaderboard page:2 for more"
    );
    assert_eq!(
        footer(core.ask("/leaderboard page:2").await),
        "Page 2 of 3 · 25 players · /leaderboard page:3 for more"
    );
    assert_eq!(
        footer(core.ask("/leaderboard page:3").await),
        "Page 3 of 3 · 25 players"
    );
    assert_eq!(
        footer(core.ask("/leaderboard period:week").await),
        "Page 1 of 3 · 25 players · /leaderboard period:week page:2 for more"
    );
    let past = core.ask("/leaderboard page:4").await;
    assert!(past.is_error() && past.ephemeral, "{past:?}");
    assert_eq!(
        past.text.to_string(),
        "The leaderboard has 3 pages (25 players): try `/leaderboard page:3`."
    );
    let week = core.ask("/leaderboard period:week page:9").await;
    assert_eq!(
        week.text.to_string(),
        "This week's leaderboard has 3 pages (25 players): try `/leaderboard period:week page:3`."
    );
}

/// Leaderboards and stats read running totals kept at each reveal; whatever the games,
/// they say what summing every answer says, a reveal saved twice included.
async fn running_totals_agree_with_every_answer_summed(db: TestDb) {
    use rand::{Rng, SeedableRng};
    let store = db.open().await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(9);
    for quiz in 1..=40u64 {
        // Over five weeks, around week boundaries too.
        let at = UnixMillis(MONDAY.0 - 21 * DAY + rng.random_range(0..35 * DAY));
        for question in 1..=5u8 {
            let mut answers = Vec::new();
            for user in 1..=12u64 {
                if rng.random_bool(0.6) {
                    let correct = rng.random_bool(0.5);
                    let points = if correct {
                        rng.random_range(500..1500)
                    } else {
                        0
                    };
                    let streak = rng.random_range(0..6);
                    answers.push(answer(user, &format!("p{user}"), correct, points, streak));
                }
            }
            let save = results(quiz, question, at, answers);
            store.save(&save).await.unwrap();
            if rng.random_bool(0.1) {
                store.save(&save).await.unwrap();
            }
        }
    }
    let mut connection = db.connect().await;
    for week in [
        None,
        Some(MONDAY),
        Some(UnixMillis(MONDAY.0 - 14 * DAY + 5)),
    ] {
        let (from, to) = match week {
            None => (0, i64::MAX),
            Some(at) => {
                let start = at.0 as i64 - (at.0 as i64 - 4 * DAY as i64).rem_euclid(7 * DAY as i64);
                (start, start + 7 * DAY as i64)
            }
        };
        let expected: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT user_id, CAST(SUM(points) AS BIGINT) AS p, CAST(SUM(correct) AS BIGINT),
                    COUNT(*)
             FROM answers WHERE answered_at >= $1 AND answered_at < $2
             GROUP BY user_id ORDER BY p DESC, SUM(correct) DESC, user_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut connection)
        .await
        .unwrap();
        let board = store.leaderboard(GUILD, week, 1, 100).await.unwrap();
        let got: Vec<(i64, i64, i64, i64)> = board
            .rows
            .iter()
            .map(|r| {
                (
                    r.user_id as i64,
                    r.points as i64,
                    r.correct as i64,
                    r.answers as i64,
                )
            })
            .collect();
        assert_eq!(got, expected, "{week:?}");
        assert!(!got.is_empty());
    }
    for user in 1..=12u64 {
        let (games, best): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(DISTINCT quiz_id), MAX(streak) FROM answers WHERE user_id = $1",
        )
        .bind(user as i64)
        .fetch_one(&mut connection)
        .await
        .unwrap();
        let stats = store.stats(GUILD, user).await.unwrap().unwrap();
        assert_eq!(
            (stats.games, stats.best_streak),
            (games as u64, best as u64)
        );
    }
}

/// A question answered by more players than one statement saves (several statements
/// in its transaction), one of them listed twice: every player counted once, with one
/// game over the quiz's two questions.
async fn a_crowd_of_hundreds_is_saved_whole_and_each_player_once(db: TestDb) {
    let store = db.open().await;
    let crowd = |question: u8| {
        let mut answers: Vec<AnswerResult> = (1..=450u64)
            .map(|user| {
                answer(
                    user,
                    &format!("p{user}"),
                    user % 2 == 1,
                    (user % 2 * 100) as u32,
                    1,
                )
            })
            .collect();
        answers.push(answer(7, "p7 again", true, 5_000, 9));
        results(1, question, NOW, answers)
    };
    store.save(&crowd(1)).await.unwrap();
    store.save(&crowd(2)).await.unwrap();
    let board = store.leaderboard(GUILD, None, 1, 10).await.unwrap();
    assert_eq!(board.players, 450);
    let top = &board.rows[0];
    assert_eq!((top.points, top.answers, top.rank), (200, 2, 1), "{top:?}");
    let seventh = store.stats(GUILD, 7).await.unwrap().unwrap();
    assert_eq!(
        (
            seventh.name.as_str(),
            seventh.games,
            seventh.answers,
            seventh.points,
            seventh.best_streak
        ),
        ("p7", 1, 2, 200, 1),
        "the first of the two lines of player 7 counts"
    );
    assert_eq!(store.stats(GUILD, 450).await.unwrap().unwrap().rank, 226);
}

/// A database of the version before running totals: opening it computes them from
/// the answers it holds.
#[tokio::test]
async fn the_totals_of_answers_saved_before_them_are_computed_at_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let old = tempfile::tempdir().unwrap();
    for migration in ["0001_scores.sql", "0002_daily.sql"] {
        std::fs::copy(
            format!(
                "{}/migrations/sqlite/{migration}",
                env!("CARGO_MANIFEST_DIR")
            ),
            old.path().join(migration),
        )
        .unwrap();
    }
    let options = url(&dir)
        .parse::<sqlx::sqlite::SqliteConnectOptions>()
        .unwrap()
        .create_if_missing(true);
    let mut db = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(old.path())
        .await
        .unwrap()
        .run(&mut db)
        .await
        .unwrap();
    sqlx::raw_sql(
        "INSERT INTO quizzes (id, guild_id, channel_id, started_at) VALUES (1, 1, 10, 0), (2, 1, 10, 0);
         INSERT INTO answers VALUES
             (1, 1, 1, 10, 1, 900, 1, 1739545200000), (1, 2, 1, 10, 1, 800, 2, 1739545200000),
             (2, 1, 1, 10, 0, 0, 0, 1738540800000), (2, 1, 1, 20, 1, 700, 1, 1738540800000);
         INSERT INTO players VALUES (1, 10, 'alice'), (1, 20, 'bob');",
    )
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();

    let store = Store::open(&url(&dir)).await.unwrap();
    let all = store.leaderboard(GUILD, None, 1, 10).await.unwrap();
    let rows: Vec<(u64, u64, u64, u64)> = all
        .rows
        .iter()
        .map(|r| (r.user_id, r.points, r.correct, r.answers))
        .collect();
    assert_eq!(rows, [(10, 1700, 2, 3), (20, 700, 1, 1)]);
    let week = store.leaderboard(GUILD, Some(NOW), 1, 10).await.unwrap();
    assert_eq!(week.players, 1, "bob played the week before");
    let alice = store.stats(GUILD, 10).await.unwrap().unwrap();
    assert_eq!((alice.games, alice.best_streak, alice.rank), (2, 2, 1));
}

/// The leaderboard turns its pages with buttons (edited in place), and shows the one
/// who asked their own line under a page they are not on.
async fn leaderboard_pages_turn_with_buttons_and_show_the_callers_own_place(db: TestDb) {
    let core = Core::on(db, NOW.to_datetime());
    let store = core.app.store().await.unwrap();
    let points: Vec<u32> = (1..=25).rev().map(|n| n * 10).collect();
    scored(store, 1, &points).await;
    // Alice, who asks, is last: 26th.
    store
        .save(&results(2, 1, NOW, vec![answer(1, "alice", true, 5, 1)]))
        .await
        .unwrap();
    let buttons = |reply: &feudbot::reply::Reply| -> Vec<(String, bool)> {
        reply
            .rows
            .iter()
            .flatten()
            .map(|b| (b.custom_id.clone(), b.disabled))
            .collect()
    };
    let first = core.ask("/leaderboard").await;
    assert_eq!(
        buttons(&first),
        [
            ("leaderboard:all:0".to_string(), true),
            ("leaderboard:all:2".to_string(), false)
        ]
    );
    assert!(
        first
            .text
            .to_string()
            .ends_with("\n\nYou: 26. **alice** · 5 points · 1/1 right"),
        "{}",
        first.text
    );
    // The one who asked turns the page in place.
    let done = core
        .click(
            &Core::member("alice", 1),
            "leaderboard:all:2",
            Clicked::Reply,
        )
        .await;
    assert!(matches!(done.as_slice(), [Done::Update(_)]), "{done:?}");
    let second = core.press("leaderboard:all:2").await;
    assert_eq!(
        second.footer.as_deref(),
        Some("Page 2 of 3 · 26 players · /leaderboard page:3 for more")
    );
    // On the last page Alice is on the list: her line is not repeated.
    let last = core.press("leaderboard:all:3").await;
    assert_eq!(last.text.to_string().matches("alice").count(), 1);
    assert_eq!(
        buttons(&last),
        [
            ("leaderboard:all:2".to_string(), false),
            ("leaderboard:all:4".to_string(), true)
        ]
    );
    let week = core.ask("/leaderboard period:week").await;
    assert_eq!(buttons(&week)[1].0, "leaderboard:week:2");
    let stale = core.press("leaderboard:month:2").await;
    assert!(stale.is_error() && stale.ephemeral, "{stale:?}");
}
