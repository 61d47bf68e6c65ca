//! A fake Discord for tests: REST (axum) and gateway (tokio-tungstenite) on 127.0.0.1,
//! one instance per test on ports chosen by the OS, so tests run in parallel.
//!
//! The real serenity client talks to it unchanged: build the HTTP client with
//! `HttpBuilder::new(token).proxy(fake.base_url()).ratelimiter_disabled(true)` (serenity
//! then sends `https://discord.com/api/v10/...` to `{base_url}/api/v10/...`) and the
//! gateway URL comes from the fake's `GET /api/v10/gateway`.
//!
//! What a test can do:
//! - drive the gateway: [`FakeDiscord::send_interaction`] (validated against serenity's
//!   own types first, because serenity silently drops a dispatch it cannot
//!   deserialize), [`FakeDiscord::send_reconnect`], [`FakeDiscord::wait_identify`], ...
//! - inspect REST: every call is recorded ([`Call`]); [`FakeDiscord::expect`] waits
//!   for a matching call and claims it, [`FakeDiscord::expect_none`] checks that none
//!   comes;
//! - script faults: [`FakeDiscord::fail_next`] with a [`Fault`];
//! - check Discord's limits: every body is run through [`limits`], and
//!   [`FakeDiscord::assert_no_violations`] lists every breach;
//! - enforce Discord's rate limits, when asked ([`FakeDiscord::enforce_rate_limits`]):
//!   the fake then answers 429 as Discord would (see [`ratelimit`]).
//!
//! All waits use a real-time timeout ([`DEFAULT_TIMEOUT`]) that works even when the
//! test pauses tokio's clock, and never sleep for a fixed time.
//!
//! Submodules: [`payloads`] builds interaction JSON, [`limits`] checks bodies,
//! [`ratelimit`] counts requests against Discord's rate limits,
//! `rest` and `gateway` are the two servers, [`bare_client`] is a minimal serenity
//! bot used to prove the fake (and as a latency floor). [`recorder`] drives the core
//! without Discord, through a front end that records what it is asked to do.

pub mod bare_client;
pub mod bot;
pub mod databases;
mod gateway;
pub mod limits;
pub mod payloads;
pub mod ratelimit;
pub mod recorder;
mod rest;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::AbortHandle;

pub use gateway::Outgoing;
use payloads::{APPLICATION_ID, BOT_USER_ID};

/// How long `expect`, `wait_*` and `send_*` wait, in real time, before panicking.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Polls `done` every 50 ms for at most `within`: for what a process shows only in its
/// logs or in the fake's state. Whether it came to hold.
pub async fn eventually(within: Duration, done: impl Fn() -> bool) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < within {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    done()
}

/// Discord's default heartbeat interval, sent in HELLO unless a test changes it.
pub const DEFAULT_HEARTBEAT_MS: u64 = 41_250;

/// One REST call the fake received.
#[derive(Clone, Debug)]
pub struct Call {
    /// Position in arrival order, from 0.
    pub index: usize,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path without the `/api/v10` prefix, e.g. `/interactions/1/tok/callback`.
    /// Requests outside `/api/v10` keep their full path.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// The JSON body; for a multipart body, its `payload_json` part.
    pub body: Option<Value>,
    /// The files of a multipart body (its parts other than `payload_json`).
    pub files: Vec<Upload>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The status the fake answered with.
    pub status: u16,
    /// The JSON the fake answered with, if any.
    pub response: Option<Value>,
    /// Whether the fake knows this route (unknown routes get a 404 and `false`).
    pub handled: bool,
    /// When the call arrived.
    pub at: Instant,
}

/// A file uploaded with a call, as a multipart part.
#[derive(Clone, Debug, PartialEq)]
pub struct Upload {
    /// Its file name (the part's `filename`, else its `name`).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Call {
    /// The body, or a panic saying which call had none.
    pub fn json(&self) -> &Value {
        self.body.as_ref().unwrap_or_else(|| {
            panic!(
                "call #{} {} {} has no JSON body",
                self.index, self.method, self.path
            )
        })
    }
}

/// A fault scripted with [`FakeDiscord::fail_next`].
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// 429 with Discord's body `{"message", "retry_after", "global": false}` and the
    /// `Retry-After` and `X-RateLimit-*` headers.
    RateLimited { retry_after: f64 },
    /// The call is held this long, then answered as any other (with the next fault
    /// scripted for it, if any): a slow or hung Discord.
    Delay(std::time::Duration),
    /// This status with a Discord-style error body: 403 is 50013 Missing Permissions,
    /// 404 the route's "Unknown ..." code (10003 Unknown Channel, ...), 500 code 0.
    Status(u16),
}

/// The guild, channels and members the fake answers about. Change it with
/// [`FakeDiscord::configure`]. All values are Discord JSON objects.
#[derive(Clone, Debug)]
pub struct World {
    /// Guild objects by id, each with its `roles`.
    pub guilds: HashMap<u64, Value>,
    /// Channel objects by id (guild text channels, and DM channels of DM interactions).
    pub channels: HashMap<u64, Value>,
    /// Member objects by (guild id, user id).
    pub members: HashMap<(u64, u64), Value>,
}

impl Default for World {
    /// One guild ([`payloads::GUILD_ID`]) with an `@everyone` role and the bot's managed
    /// role, one text channel ([`payloads::CHANNEL_ID`]), and the bot as a member.
    fn default() -> World {
        use payloads::*;
        let role = |id: u64, name: &str, perms: u64, managed: bool, position: u64| {
            let mut r = json!({
                "id": id.to_string(), "name": name, "color": 0,
                "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
                "hoist": false, "icon": null, "unicode_emoji": null, "position": position,
                "permissions": perms.to_string(), "managed": managed, "mentionable": false,
                "flags": 0,
            });
            if managed {
                r["tags"] = json!({"bot_id": BOT_USER_ID.to_string()});
            }
            r
        };
        let guild = json!({
            "id": GUILD_ID.to_string(),
            "name": "Feud Watchers",
            "icon": null, "icon_hash": null, "splash": null, "discovery_splash": null,
            "owner_id": GUILD_OWNER_ID.to_string(),
            "afk_channel_id": null, "afk_timeout": 300,
            "widget_enabled": false, "widget_channel_id": null,
            "verification_level": 1, "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": [
                role(GUILD_ID, "@everyone", EVERYONE_PERMISSIONS, false, 0),
                role(BOT_ROLE_ID, BOT_NAME, BOT_PERMISSIONS, true, 1),
            ],
            "emojis": [], "stickers": [], "features": [],
            "mfa_level": 0, "application_id": null,
            "system_channel_id": CHANNEL_ID.to_string(), "system_channel_flags": 0,
            "rules_channel_id": null, "max_presences": null, "max_members": 500000,
            "vanity_url_code": null, "description": null, "banner": null,
            "premium_tier": 0, "premium_subscription_count": 0,
            "preferred_locale": "en-US", "public_updates_channel_id": null,
            "max_video_channel_users": 25, "max_stage_video_channel_users": 50,
            "nsfw_level": 0, "premium_progress_bar_enabled": false,
        });
        let channel = json!({
            "id": CHANNEL_ID.to_string(),
            "type": 0,
            "guild_id": GUILD_ID.to_string(),
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "topic": null,
            "nsfw": false,
            "last_message_id": null,
            "rate_limit_per_user": 0,
            "parent_id": null,
            "flags": 0,
        });
        let bot_member = member(bot_user(), &[BOT_ROLE_ID], BOT_PERMISSIONS);
        World {
            guilds: HashMap::from([(GUILD_ID, guild)]),
            channels: HashMap::from([(CHANNEL_ID, channel)]),
            members: HashMap::from([((GUILD_ID, BOT_USER_ID), bot_member)]),
        }
    }
}

/// What the fake knows about an interaction it sent, to answer its callback and
/// webhook calls like Discord would.
#[derive(Clone, Debug)]
pub(crate) struct InteractionRecord {
    pub id: u64,
    /// Interaction type: 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub kind: u64,
    pub channel_id: u64,
    /// The callback's `type`, once acknowledged.
    pub acked: Option<u64>,
    /// Id of the original response message, once there is one.
    pub original: Option<u64>,
    /// For component interactions: id of the message the component is on.
    pub source_message: Option<u64>,
    pub followups: Vec<u64>,
}

/// Gateway bookkeeping, shared by every connection of one fake.
#[derive(Debug)]
pub(crate) struct GatewayState {
    pub url: String,
    pub heartbeat_interval_ms: u64,
    pub ack_heartbeats: bool,
    /// Whether new gateway connections are dropped at once (Discord's gateway down).
    pub refusing: bool,
    /// Request URIs of every WebSocket connection, in order.
    pub connections: Vec<String>,
    pub heartbeats: usize,
    pub identifies: Vec<Value>,
    pub identifies_claimed: usize,
    pub resumes: Vec<Value>,
    pub resumes_claimed: usize,
    /// Frames with other opcodes the client sent (presence updates, ...).
    pub other_frames: Vec<Value>,
    /// How many shards the bot must connect (`GET /gateway/bot`, and each IDENTIFY's
    /// `shard` is checked against it).
    pub shard_count: u32,
    /// Each shard's session, by shard number.
    pub sessions: HashMap<u32, Session>,
    /// Every dispatch sent, as (connection index, frame).
    pub dispatches: Vec<(usize, Value)>,
}

/// One shard's gateway session.
#[derive(Debug, Default)]
pub(crate) struct Session {
    pub id: Option<String>,
    /// Sequence number of the last dispatch sent in this session.
    pub seq: u64,
    /// The connection that completed IDENTIFY or RESUME for this shard, and receives
    /// its dispatches.
    pub current: Option<(usize, mpsc::UnboundedSender<Outgoing>)>,
}

/// Everything the fake records, behind one lock (never held across an `.await`).
pub(crate) struct State {
    pub calls: Vec<Call>,
    pub claimed: Vec<bool>,
    pub faults: Vec<(String, String, Fault)>,
    pub violations: Vec<String>,
    pub interactions: HashMap<String, InteractionRecord>,
    /// Stored messages by id: (channel id, message object).
    pub messages: HashMap<u64, Value>,
    /// Registered commands: `None` for global, `Some(guild)` for guild commands.
    pub commands: HashMap<Option<u64>, Vec<Value>>,
    pub world: World,
    pub gateway: GatewayState,
    pub started: Instant,
    /// Discord's rate limits, once [`FakeDiscord::enforce_rate_limits`] is called.
    pub rate_limits: Option<ratelimit::RateLimits>,
}

pub(crate) struct Inner {
    state: Mutex<State>,
    changed: watch::Sender<u64>,
    tasks: Mutex<Vec<AbortHandle>>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock (a failing assertion in a test) must not hide
        // the state from the report that follows.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the state and wakes every waiter.
    pub(crate) fn update<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let r = f(&mut self.lock());
        self.changed.send_modify(|n| *n += 1);
        r
    }

    /// Reads the state without waking anyone.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.lock())
    }

    /// Calls `f` on the state until it returns `Some`, or `timeout` of real time passes.
    pub(crate) async fn wait_for<R>(
        &self,
        timeout: Duration,
        mut f: impl FnMut(&mut State) -> Option<R>,
    ) -> Option<R> {
        let mut rx = self.changed.subscribe();
        let mut deadline = real_time_deadline(timeout);
        loop {
            if let Some(r) = self.update_quiet(&mut f) {
                return Some(r);
            }
            tokio::select! {
                changed = rx.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                },
                _ = &mut deadline => return self.update_quiet(&mut f),
            }
        }
    }

    fn update_quiet<R>(&self, f: &mut impl FnMut(&mut State) -> Option<R>) -> Option<R> {
        let r = f(&mut self.lock());
        if r.is_some() {
            // Claiming something is a change other waiters may care about.
            self.changed.send_modify(|n| *n += 1);
        }
        r
    }

    pub(crate) fn track(&self, task: AbortHandle) {
        self.tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(task);
    }
}

/// A future that completes after `d` of wall-clock time, even when the test runs with
/// tokio's clock paused (a paused clock would otherwise fire timeouts at once while the
/// runtime waits on sockets). One timer thread serves every deadline of the process,
/// so thousands of waits (in a benchmark) cost no thread each.
fn real_time_deadline(d: Duration) -> oneshot::Receiver<()> {
    type Deadline = (Instant, oneshot::Sender<()>);
    static TIMER: std::sync::OnceLock<Mutex<std::sync::mpsc::Sender<Deadline>>> =
        std::sync::OnceLock::new();
    let timer = TIMER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Deadline>();
        std::thread::spawn(move || {
            let mut waiting: Vec<Deadline> = Vec::new();
            loop {
                // Waits that ended another way have dropped their receiver.
                waiting.retain(|(_, wake)| !wake.is_closed());
                let now = Instant::now();
                let (due, later): (Vec<Deadline>, Vec<Deadline>) =
                    waiting.drain(..).partition(|(at, _)| *at <= now);
                waiting = later;
                for (_, wake) in due {
                    let _ = wake.send(());
                }
                let next = waiting.iter().map(|(at, _)| *at).min();
                let received = match next {
                    Some(at) => rx.recv_timeout(at.saturating_duration_since(now)),
                    None => rx
                        .recv()
                        .map_err(|_| std::sync::mpsc::RecvTimeoutError::Disconnected),
                };
                match received {
                    Ok(deadline) => waiting.push(deadline),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
        });
        Mutex::new(tx)
    });
    let (tx, rx) = oneshot::channel();
    let _ = timer
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .send((Instant::now() + d, tx));
    rx
}

/// Whether `path` matches `pattern`: same number of `/`-separated segments, each equal
/// or `*` in the pattern. A leading `/api/v10` on the pattern is ignored.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.strip_prefix("/api/v10").unwrap_or(pattern);
    let p: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let s: Vec<&str> = path.trim_matches('/').split('/').collect();
    p.len() == s.len() && p.iter().zip(&s).all(|(p, s)| *p == "*" || p == s)
}

fn call_matches(call: &Call, method: &str, pattern: &str) -> bool {
    call.method.eq_ignore_ascii_case(method) && path_matches(pattern, &call.path)
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// One line per call: index, time since the fake started, method, path, status, body.
pub fn format_calls(calls: &[Call], started: Instant) -> String {
    if calls.is_empty() {
        return "  (no REST calls at all)\n".to_string();
    }
    let mut out = String::new();
    for c in calls {
        let query = c
            .query
            .as_ref()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        let body = c
            .body
            .as_ref()
            .map(|b| format!(" body={}", shorten(&b.to_string(), 300)))
            .unwrap_or_default();
        let unhandled = if c.handled {
            ""
        } else {
            " (route unknown to the fake)"
        };
        out.push_str(&format!(
            "  #{} +{}ms {} {}{} -> {}{}{}\n",
            c.index,
            c.at.saturating_duration_since(started).as_millis(),
            c.method,
            c.path,
            query,
            c.status,
            unhandled,
            body,
        ));
    }
    out
}

/// The fake Discord. Dropping it stops its servers.
pub struct FakeDiscord {
    inner: Arc<Inner>,
    rest_addr: SocketAddr,
    gateway_addr: SocketAddr,
}

impl FakeDiscord {
    /// Starts REST and gateway servers on 127.0.0.1, on ports chosen by the OS.
    pub async fn start() -> FakeDiscord {
        let rest = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("fake Discord: cannot bind the REST port: {e}"));
        let gw = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("fake Discord: cannot bind the gateway port: {e}"));
        let rest_addr = rest
            .local_addr()
            .unwrap_or_else(|e| panic!("fake Discord: REST listener has no address: {e}"));
        let gateway_addr = gw
            .local_addr()
            .unwrap_or_else(|e| panic!("fake Discord: gateway listener has no address: {e}"));
        let state = State {
            calls: Vec::new(),
            claimed: Vec::new(),
            faults: Vec::new(),
            violations: Vec::new(),
            interactions: HashMap::new(),
            messages: HashMap::new(),
            commands: HashMap::new(),
            world: World::default(),
            gateway: GatewayState {
                url: format!("ws://{gateway_addr}"),
                heartbeat_interval_ms: DEFAULT_HEARTBEAT_MS,
                ack_heartbeats: true,
                refusing: false,
                connections: Vec::new(),
                heartbeats: 0,
                identifies: Vec::new(),
                identifies_claimed: 0,
                resumes: Vec::new(),
                resumes_claimed: 0,
                other_frames: Vec::new(),
                shard_count: 1,
                sessions: HashMap::new(),
                dispatches: Vec::new(),
            },
            started: Instant::now(),
            rate_limits: None,
        };
        let inner = Arc::new(Inner {
            state: Mutex::new(state),
            changed: watch::channel(0).0,
            tasks: Mutex::new(Vec::new()),
        });
        let app = rest::router(Arc::clone(&inner));
        // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to
        // loopback round trips, which would swamp any latency measurement.
        let rest = axum::serve::ListenerExt::tap_io(rest, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let rest_task = tokio::spawn(async move {
            if let Err(e) = axum::serve(rest, app).await {
                eprintln!("fake Discord: REST server stopped: {e}");
            }
        });
        inner.track(rest_task.abort_handle());
        let gw_task = tokio::spawn(gateway::serve(gw, Arc::clone(&inner)));
        inner.track(gw_task.abort_handle());
        FakeDiscord {
            inner,
            rest_addr,
            gateway_addr,
        }
    }

    /// The base URL for `DISCORD_API_BASE` and `HttpBuilder::proxy`, e.g.
    /// `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.rest_addr)
    }

    /// The gateway URL the fake hands out, e.g. `ws://127.0.0.1:40124`.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}", self.gateway_addr)
    }

    /// The bot's application id ([`payloads::APPLICATION_ID`]).
    pub fn application_id(&self) -> u64 {
        APPLICATION_ID
    }

    /// The bot's user id ([`payloads::BOT_USER_ID`]).
    pub fn bot_user_id(&self) -> u64 {
        BOT_USER_ID
    }

    /// Changes the guild, channels and members the fake answers about.
    pub fn configure(&self, f: impl FnOnce(&mut World)) {
        self.inner.update(|s| f(&mut s.world));
    }

    // ---- gateway ----------------------------------------------------------------

    /// Sets the heartbeat interval sent in later HELLOs (default 41.25 s).
    pub fn set_heartbeat_interval(&self, interval: Duration) {
        let ms = u64::try_from(interval.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        self.inner.update(|s| s.gateway.heartbeat_interval_ms = ms);
    }

    /// Whether to answer heartbeats with HEARTBEAT_ACK (default true). Without acks,
    /// serenity considers the connection dead at its next heartbeat and reconnects.
    pub fn set_ack_heartbeats(&self, ack: bool) {
        self.inner.update(|s| s.gateway.ack_heartbeats = ack);
    }

    /// Whether new gateway connections are dropped as they arrive (default false): the
    /// gateway down, for a client that lost its connection.
    pub fn set_refuse_gateway(&self, refuse: bool) {
        self.inner.update(|s| s.gateway.refusing = refuse);
    }

    /// Waits for the next IDENTIFY not yet returned by this method; returns its `d`.
    pub async fn wait_identify(&self) -> Value {
        self.inner
            .wait_for(DEFAULT_TIMEOUT, |s| {
                let g = &mut s.gateway;
                let d = g.identifies.get(g.identifies_claimed).cloned()?;
                g.identifies_claimed += 1;
                Some(d)
            })
            .await
            .unwrap_or_else(|| panic!("no IDENTIFY within {DEFAULT_TIMEOUT:?}\n{}", self.report()))
    }

    /// Waits for the next RESUME not yet returned by this method; returns its `d`
    /// (`session_id`, `seq`, `token`).
    pub async fn wait_resume(&self) -> Value {
        self.inner
            .wait_for(DEFAULT_TIMEOUT, |s| {
                let g = &mut s.gateway;
                let d = g.resumes.get(g.resumes_claimed).cloned()?;
                g.resumes_claimed += 1;
                Some(d)
            })
            .await
            .unwrap_or_else(|| panic!("no RESUME within {DEFAULT_TIMEOUT:?}\n{}", self.report()))
    }

    /// Serves `count` shards: `GET /gateway/bot` recommends it, and an IDENTIFY for
    /// another count is refused (close code 4010, invalid shard). Set before the bot
    /// connects.
    pub fn set_shard_count(&self, count: u32) {
        self.inner.update(|s| s.gateway.shard_count = count);
    }

    /// The shards connected now (IDENTIFY or RESUME completed on a live connection).
    pub fn connected_shards(&self) -> Vec<u32> {
        self.inner.read(|s| {
            let mut shards: Vec<u32> = s
                .gateway
                .sessions
                .iter()
                .filter(|(_, session)| session.current.is_some())
                .map(|(&shard, _)| shard)
                .collect();
            shards.sort_unstable();
            shards
        })
    }

    /// Waits until shard 0 has completed IDENTIFY (READY sent) or RESUME (RESUMED
    /// sent) on its current connection.
    pub async fn wait_connected(&self) {
        self.inner
            .wait_for(DEFAULT_TIMEOUT, |s| {
                s.gateway.sessions.get(&0)?.current.as_ref().map(|_| ())
            })
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no shard connected within {DEFAULT_TIMEOUT:?}\n{}",
                    self.report()
                )
            })
    }

    /// WebSocket connections opened so far.
    pub fn connection_count(&self) -> usize {
        self.inner.read(|s| s.gateway.connections.len())
    }

    /// Request URIs of the WebSocket connections (serenity adds `?v=10`).
    pub fn connection_uris(&self) -> Vec<String> {
        self.inner.read(|s| s.gateway.connections.clone())
    }

    /// IDENTIFYs received so far.
    pub fn identify_count(&self) -> usize {
        self.inner.read(|s| s.gateway.identifies.len())
    }

    /// RESUMEs received so far.
    pub fn resume_count(&self) -> usize {
        self.inner.read(|s| s.gateway.resumes.len())
    }

    /// Heartbeats received so far.
    pub fn heartbeat_count(&self) -> usize {
        self.inner.read(|s| s.gateway.heartbeats)
    }

    /// Waits until at least `n` heartbeats have arrived.
    pub async fn wait_heartbeats(&self, n: usize) {
        self.inner
            .wait_for(DEFAULT_TIMEOUT, |s| {
                (s.gateway.heartbeats >= n).then_some(())
            })
            .await
            .unwrap_or_else(|| {
                panic!(
                    "fewer than {n} heartbeats within {DEFAULT_TIMEOUT:?}\n{}",
                    self.report()
                )
            })
    }

    /// Every dispatch sent so far, as (connection index, frame).
    pub fn dispatches(&self) -> Vec<(usize, Value)> {
        self.inner.read(|s| s.gateway.dispatches.clone())
    }

    /// Sends an INTERACTION_CREATE dispatch with `payload` as `d` to the shard of its
    /// server (shard 0 for a DM), waiting for it to be connected. Panics, with serde's error and path, if
    /// serenity could not deserialize it.
    pub async fn send_interaction(&self, payload: Value) {
        if let Err(why) = gateway::check_interaction(&payload) {
            panic!("fake Discord: refusing to send an interaction serenity would drop:\n{why}");
        }
        self.inner
            .update(|s| rest::register_interaction(s, &payload));
        self.dispatch("INTERACTION_CREATE", payload).await;
    }

    /// Sends `interaction` and returns the bot's callback body.
    pub async fn answer(&self, interaction: Value) -> Value {
        self.send_interaction(interaction.clone()).await;
        self.expect("POST", &payloads::callback_path(&interaction))
            .await
            .json()
            .clone()
    }

    /// Sends any dispatch `t` with data `d` to the shard of its `guild_id` (shard 0
    /// without one), after checking that serenity deserializes it into a known
    /// [`serenity::model::event::Event`].
    pub async fn dispatch(&self, t: &str, d: Value) {
        let guild_id = d
            .get("guild_id")
            .and_then(Value::as_str)
            .and_then(|id| id.parse::<u64>().ok())
            .unwrap_or(0);
        let sent = self
            .inner
            .wait_for(DEFAULT_TIMEOUT, |s| {
                let shard = ((guild_id >> 22) % u64::from(s.gateway.shard_count)) as u32;
                gateway::send_dispatch(s, shard, t, &d).transpose()
            })
            .await;
        match sent {
            Some(Ok(())) => {}
            Some(Err(why)) => panic!("fake Discord: refusing to send {t}: {why}"),
            None => panic!(
                "fake Discord: no shard connected within {DEFAULT_TIMEOUT:?} to send {t}\n{}",
                self.report()
            ),
        }
    }

    /// Sends RECONNECT (op 7) to shard 0. The client should open a new
    /// connection and RESUME; dispatches wait until it has.
    pub async fn send_reconnect(&self) {
        self.send_op(json!({"op": 7, "d": null})).await;
    }

    /// Sends INVALID_SESSION (op 9) with `d: resumable`.
    pub async fn send_invalid_session(&self, resumable: bool) {
        if !resumable {
            self.inner
                .update(|s| s.gateway.sessions.entry(0).or_default().id = None);
        }
        self.send_op(json!({"op": 9, "d": resumable})).await;
    }

    /// Closes shard 0's connection with a close frame carrying `code` (e.g. 4000
    /// unknown error: resumable; 4004 authentication failed: fatal for serenity).
    pub async fn close_connection(&self, code: u16) {
        self.send_outgoing(Outgoing::Close(code)).await;
    }

    async fn send_op(&self, frame: Value) {
        self.send_outgoing(Outgoing::Text(frame.to_string())).await;
    }

    async fn send_outgoing(&self, out: Outgoing) {
        let mut out = Some(out);
        self.inner
            .wait_for(DEFAULT_TIMEOUT, |s| {
                let (_, tx) = s.gateway.sessions.get_mut(&0)?.current.take()?;
                let _ = tx.send(out.take()?);
                Some(())
            })
            .await
            .unwrap_or_else(|| {
                panic!(
                    "fake Discord: no shard connected within {DEFAULT_TIMEOUT:?}\n{}",
                    self.report()
                )
            })
    }

    // ---- REST -------------------------------------------------------------------

    /// Every REST call so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        self.inner.read(|s| s.calls.clone())
    }

    /// Calls to routes the fake does not know (answered 404).
    pub fn unhandled_calls(&self) -> Vec<Call> {
        self.inner
            .read(|s| s.calls.iter().filter(|c| !c.handled).cloned().collect())
    }

    /// Waits up to [`DEFAULT_TIMEOUT`] for a call of `method` to a path matching
    /// `pattern` (see [`path_matches`]) that no earlier `expect` claimed, claims it and
    /// returns it. Panics with the list of every call seen if none comes.
    pub async fn expect(&self, method: &str, pattern: &str) -> Call {
        self.expect_within(method, pattern, DEFAULT_TIMEOUT).await
    }

    /// [`Self::expect`] with another timeout.
    pub async fn expect_within(&self, method: &str, pattern: &str, timeout: Duration) -> Call {
        match self.try_expect(method, pattern, timeout).await {
            Some(call) => call,
            None => panic!("{}", self.missing_call_report(method, pattern, timeout)),
        }
    }

    /// [`Self::expect`] that returns `None` instead of panicking.
    pub async fn try_expect(&self, method: &str, pattern: &str, timeout: Duration) -> Option<Call> {
        self.inner
            .wait_for(timeout, |s| {
                let i = (0..s.calls.len())
                    .find(|&i| !s.claimed[i] && call_matches(&s.calls[i], method, pattern))?;
                s.claimed[i] = true;
                Some(s.calls[i].clone())
            })
            .await
    }

    /// Checks that no unclaimed call of `method` matching `pattern` exists now or
    /// arrives within `within`; panics listing every call otherwise.
    pub async fn expect_none(&self, method: &str, pattern: &str, within: Duration) {
        let found = self
            .inner
            .wait_for(within, |s| {
                (0..s.calls.len())
                    .find(|&i| !s.claimed[i] && call_matches(&s.calls[i], method, pattern))
                    .map(|i| s.calls[i].clone())
            })
            .await;
        if let Some(call) = found {
            panic!(
                "expected no {method} {pattern} within {within:?}, but got call #{}\nREST calls seen:\n{}",
                call.index,
                self.inner.read(|s| format_calls(&s.calls, s.started))
            );
        }
    }

    /// The message `expect` panics with when no call matches: what was expected, then
    /// every call seen, unclaimed ones marked.
    pub fn missing_call_report(&self, method: &str, pattern: &str, timeout: Duration) -> String {
        self.inner.read(|s| {
            let unclaimed: Vec<usize> = (0..s.calls.len()).filter(|&i| !s.claimed[i]).collect();
            format!(
                "expected a REST call {method} {pattern} within {timeout:?}, none came \
                 (unclaimed calls: {unclaimed:?})\nREST calls seen:\n{}",
                format_calls(&s.calls, s.started)
            )
        })
    }

    /// Scripts `fault` for the next call of `method` matching `pattern`. Faults for the
    /// same call are used in the order they were scripted.
    pub fn fail_next(&self, method: &str, pattern: &str, fault: Fault) {
        self.inner.update(|s| {
            s.faults
                .push((method.to_ascii_uppercase(), pattern.to_string(), fault))
        });
    }

    /// From now on, enforces Discord's global and message-creation rate limits:
    /// requests over them are answered 429 (and recorded with that status), and
    /// answers on limited routes carry `X-RateLimit-*` headers. Off by default, so
    /// that tests which send in bursts are not slowed by it.
    pub fn enforce_rate_limits(&self) {
        self.inner
            .update(|s| s.rate_limits = Some(ratelimit::RateLimits::default()));
    }

    /// The 429s the rate limits caused so far (none when they are not enforced).
    /// Scripted [`Fault::RateLimited`] answers are not counted.
    pub fn rate_limited(&self) -> ratelimit::Refusals {
        self.inner.read(|s| {
            s.rate_limits
                .as_ref()
                .map(ratelimit::RateLimits::refusals)
                .unwrap_or_default()
        })
    }

    /// The calls from index `from` on, waiting up to `timeout` for the first of them;
    /// empty if none came. Unlike [`Self::expect`], claims nothing: for benchmarks that
    /// follow every call as it comes, without copying the whole list each time.
    pub async fn calls_from(&self, from: usize, timeout: Duration) -> Vec<Call> {
        self.inner
            .wait_for(timeout, |s| {
                (s.calls.len() > from).then(|| s.calls[from..].to_vec())
            })
            .await
            .unwrap_or_default()
    }

    /// A message the fake stores (created or edited by the bot), by id.
    pub fn message(&self, id: u64) -> Option<Value> {
        self.inner.read(|s| s.messages.get(&id).cloned())
    }

    /// The commands registered globally (`None`) or in a guild.
    pub fn registered_commands(&self, guild: Option<u64>) -> Vec<Value> {
        self.inner
            .read(|s| s.commands.get(&guild).cloned().unwrap_or_default())
    }

    /// Every breach of Discord's limits seen in bodies so far, plus anything the fake
    /// itself could not make serenity-compatible.
    pub fn violations(&self) -> Vec<String> {
        self.inner.read(|s| s.violations.clone())
    }

    /// Panics listing every violation, if any.
    pub fn assert_no_violations(&self) {
        let v = self.violations();
        if !v.is_empty() {
            panic!(
                "{} violation(s) of Discord's limits:\n  {}\nREST calls seen:\n{}",
                v.len(),
                v.join("\n  "),
                self.inner.read(|s| format_calls(&s.calls, s.started))
            );
        }
    }

    /// A readable summary of everything the fake saw, for failure messages.
    pub fn report(&self) -> String {
        self.inner.read(|s| {
            let g = &s.gateway;
            format!(
                "gateway: {} connection(s) {:?}, {} IDENTIFY, {} RESUME, {} heartbeat(s), \
                 {} dispatch(es), sessions by shard (id, seq, connected) {:?}\nREST calls \
                 seen:\n{}",
                g.connections.len(),
                g.connections,
                g.identifies.len(),
                g.resumes.len(),
                g.heartbeats,
                g.dispatches.len(),
                g.sessions
                    .iter()
                    .map(|(shard, x)| (shard, (&x.id, x.seq, x.current.is_some())))
                    .collect::<std::collections::BTreeMap<_, _>>(),
                format_calls(&s.calls, s.started)
            )
        })
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        for task in self
            .inner
            .tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            task.abort();
        }
    }
}
