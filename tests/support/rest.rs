//! The fake REST API: one axum fallback handler that records every call, applies
//! scripted faults, runs the limit checks on the body and, when enforced, the rate
//! limits, then answers the routes a bot uses like Discord would (and everything else
//! with a 404).
//!
//! Interaction state follows Discord's rules: a callback needs an interaction the fake
//! sent and may come only once (else 404 10062 / 400 40060); webhook calls for an
//! interaction need it acknowledged first (else 404 10015); the callback type must fit
//! the interaction type (else 400 50035, also recorded as a violation).
//!
//! Every object the fake returns is deserialized into serenity's type for it; a
//! mismatch is recorded as a violation ("fake Discord bug"), so the self-tests catch a
//! fake that serenity could not read.

use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::payloads::{self, APPLICATION_ID, BOT_USER_ID, bot_user, snowflake};
use super::ratelimit::{Header, Verdict};
use super::{Call, Fault, Inner, InteractionRecord, State, Upload, limits, path_matches};

pub(crate) fn router(inner: Arc<Inner>) -> Router {
    Router::new().fallback(handle).with_state(inner)
}

/// An answer, before it becomes an HTTP response.
struct Reply {
    status: u16,
    body: Option<Value>,
    headers: Vec<Header>,
    handled: bool,
}

impl Reply {
    fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body: Some(body),
            headers: Vec::new(),
            handled: true,
        }
    }

    fn ok(body: Value) -> Reply {
        Reply::json(200, body)
    }

    fn no_content() -> Reply {
        Reply {
            status: 204,
            body: None,
            headers: Vec::new(),
            handled: true,
        }
    }

    /// A Discord JSON error: `{"message", "code"}`.
    fn error(status: u16, code: u64, message: &str) -> Reply {
        Reply::json(status, json!({"message": message, "code": code}))
    }
}

/// Records that an interaction was sent, so its callback and webhook calls are known.
pub(crate) fn register_interaction(s: &mut State, payload: &Value) {
    let id = payloads::interaction_id(payload);
    let token = payloads::interaction_token(payload).to_string();
    let snowflake_at = |key: &str| -> Option<u64> {
        payload
            .get(key)
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
    };
    let channel_id = snowflake_at("channel_id").unwrap_or(0);
    let kind = payload.get("type").and_then(Value::as_u64).unwrap_or(0);
    let mut source_message = None;
    if let Some(message) = payload.get("message") {
        let mid = message
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok());
        if let Some(mid) = mid {
            // Keep the message the bot already stored, if it is one of ours.
            s.messages.entry(mid).or_insert_with(|| message.clone());
            source_message = Some(mid);
        }
    }
    if payload.get("guild_id").is_none() {
        // A DM: make its channel known, as Discord would.
        if let Some(channel) = payload.get("channel") {
            s.world.channels.entry(channel_id).or_insert_with(|| {
                let mut c = channel.clone();
                c["last_message_id"] = Value::Null;
                c
            });
        }
    }
    s.interactions.insert(
        token,
        InteractionRecord {
            id,
            kind,
            channel_id,
            acked: None,
            original: None,
            source_message,
            followups: Vec::new(),
        },
    );
}

async fn handle(
    AxumState(inner): AxumState<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Instant::now();
    let full = uri.path().to_string();
    let api = full == "/api/v10" || full.starts_with("/api/v10/");
    let path = if api {
        full["/api/v10".len()..].to_string()
    } else {
        full.clone()
    };
    let query = uri.query().map(str::to_string);
    let method = method.as_str().to_string();
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (json_body, files, body_problem) = parse_body(&headers, &body);

    let delay = inner.update(|s| {
        let first = s
            .faults
            .iter()
            .position(|(m, p, _)| *m == method && path_matches(p, &path))?;
        match s.faults[first].2 {
            Fault::Delay(delay) => {
                s.faults.remove(first);
                Some(delay)
            }
            _ => None,
        }
    });
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }

    let reply = inner.update(|s| {
        if let Some(p) = body_problem {
            s.violations.push(format!("{method} {path}: {p}"));
        }
        if let Some(b) = &json_body {
            for v in check_limits(&method, &path, b) {
                s.violations.push(format!("{method} {path}: {v}"));
            }
        }
        for v in upload_violations(json_body.as_ref(), &files) {
            s.violations.push(format!("{method} {path}: {v}"));
        }
        let fault = s
            .faults
            .iter()
            .position(|(m, p, f)| {
                *m == method && path_matches(p, &path) && !matches!(f, Fault::Delay(_))
            })
            .map(|i| s.faults.remove(i).2);
        let reply = if let Some(fault) = fault {
            fault_reply(&fault, &path)
        } else if !api {
            unknown_route()
        } else if !authorization
            .as_deref()
            .is_some_and(|a| a.starts_with("Bot "))
        {
            Reply::error(401, 0, "401: Unauthorized")
        } else {
            match s.rate_limits.as_mut().map(|limits| {
                let unix_now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64());
                limits.check(&method, &path, at, unix_now)
            }) {
                Some(Verdict::Limited {
                    global,
                    retry_after,
                    headers,
                }) => rate_limited(retry_after, global, headers),
                Some(Verdict::Pass(headers)) => {
                    let mut reply = route(s, &method, &path, query.as_deref(), json_body.as_ref());
                    // A request the route refuses (a 404, say) has still counted.
                    reply.headers.extend(headers);
                    reply
                }
                None => route(s, &method, &path, query.as_deref(), json_body.as_ref()),
            }
        };
        let index = s.calls.len();
        s.calls.push(Call {
            index,
            method: method.clone(),
            path: path.clone(),
            query: query.clone(),
            body: json_body.clone(),
            files: files.clone(),
            authorization: authorization.clone(),
            status: reply.status,
            response: reply.body.clone(),
            handled: reply.handled,
            at,
        });
        s.claimed.push(false);
        reply
    });
    into_response(reply)
}

fn into_response(reply: Reply) -> Response {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (name, value) in &reply.headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            builder = builder.header(*name, v);
        }
    }
    let body = match reply.body {
        Some(b) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    builder.body(body).unwrap_or_else(|e| {
        let mut r = Response::new(Body::from(format!("fake Discord: bad response: {e}")));
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}

/// The JSON body (or multipart `payload_json`), the uploaded files, and a problem with
/// the body worth reporting (not JSON, ...).
fn parse_body(headers: &HeaderMap, body: &Bytes) -> (Option<Value>, Vec<Upload>, Option<String>) {
    if body.is_empty() {
        return (None, Vec::new(), None);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    {
        return parse_multipart(body, boundary.trim_matches('"'));
    }
    match serde_json::from_slice(body) {
        Ok(v) => (Some(v), Vec::new(), None),
        Err(e) => (
            None,
            Vec::new(),
            Some(format!(
                "body is not JSON ({e}; content-type {content_type:?}): {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            )),
        ),
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The parts of a multipart body, read as bytes: a file part is binary.
fn parse_multipart(body: &[u8], boundary: &str) -> (Option<Value>, Vec<Upload>, Option<String>) {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut json_body = None;
    let mut files = Vec::new();
    let mut problem = None;
    let mut rest = body;
    let mut parts = Vec::new();
    while let Some(at) = find(rest, &delimiter) {
        parts.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    for part in parts {
        let Some(at) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..at]);
        let content = &part[at + 4..];
        let content = content.strip_suffix(b"\r\n").unwrap_or(content);
        let name = head
            .split("name=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        if name == "payload_json" {
            match serde_json::from_slice(content) {
                Ok(v) => json_body = Some(v),
                Err(e) => problem = Some(format!("multipart payload_json is not JSON: {e}")),
            }
        } else {
            let filename = head
                .split("filename=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or(name);
            files.push(Upload {
                name: filename.to_string(),
                bytes: content.to_vec(),
            });
        }
    }
    (json_body, files, problem)
}

/// Discord's rules for uploads: each file within the upload limit, and every embed
/// image given as `attachment://NAME` naming a file uploaded with the same call.
fn upload_violations(body: Option<&Value>, files: &[Upload]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        if file.bytes.len() as u64 > payloads::ATTACHMENT_SIZE_LIMIT {
            found.push(format!(
                "attachment {} is {} bytes, over the {} limit",
                file.name,
                file.bytes.len(),
                payloads::ATTACHMENT_SIZE_LIMIT
            ));
        }
    }
    let embeds = body
        .and_then(|b| b.get("data").unwrap_or(b).get("embeds"))
        .and_then(Value::as_array);
    for embed in embeds.into_iter().flatten() {
        let Some(url) = embed.pointer("/image/url").and_then(Value::as_str) else {
            continue;
        };
        if let Some(name) = url.strip_prefix("attachment://")
            && !files.iter().any(|f| f.name == name)
        {
            found.push(format!(
                "the embed shows {url}, but no file {name} was uploaded"
            ));
        }
    }
    found
}

/// Runs the limit checker that fits the route.
fn check_limits(method: &str, path: &str, body: &Value) -> Vec<String> {
    let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, seg.as_slice()) {
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            limits::command_list_violations(body)
        }
        ("POST", ["applications", _, "commands"])
        | ("POST", ["applications", _, "guilds", _, "commands"]) => {
            limits::command_list_violations(&Value::Array(vec![body.clone()]))
        }
        ("POST", ["interactions", _, _, "callback"]) => limits::response_violations(body),
        _ => limits::message_violations(body),
    }
}

fn unknown_route() -> Reply {
    Reply {
        handled: false,
        ..Reply::error(404, 0, "404: Not Found")
    }
}

/// The "Unknown ..." error Discord gives for a missing resource on this path.
fn not_found_for(path: &str) -> Reply {
    let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
    match seg.as_slice() {
        ["interactions", ..] => Reply::error(404, 10062, "Unknown interaction"),
        ["webhooks", _, _] => Reply::error(404, 10015, "Unknown Webhook"),
        ["webhooks", ..] | ["channels", _, "messages", ..] => {
            Reply::error(404, 10008, "Unknown Message")
        }
        ["channels", ..] => Reply::error(404, 10003, "Unknown Channel"),
        ["guilds", _, "members", ..] => Reply::error(404, 10007, "Unknown Member"),
        ["guilds", ..] => Reply::error(404, 10004, "Unknown Guild"),
        ["applications", _, "commands", _] | ["applications", _, "guilds", _, "commands", _] => {
            Reply::error(404, 10063, "Unknown application command")
        }
        ["users", ..] => Reply::error(404, 10013, "Unknown User"),
        _ => Reply::error(404, 0, "404: Not Found"),
    }
}

/// Discord's 429: its body, with `headers` (`Retry-After`, `X-RateLimit-*`).
fn rate_limited(retry_after: f64, global: bool, headers: Vec<Header>) -> Reply {
    Reply {
        headers,
        ..Reply::json(
            429,
            json!({
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": global,
            }),
        )
    }
}

fn fault_reply(fault: &Fault, path: &str) -> Reply {
    match *fault {
        Fault::Delay(_) => unreachable!("a delay is taken before the call is answered"),
        Fault::RateLimited { retry_after } => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs_f64());
            let reset = now.unwrap_or(0.0) + retry_after;
            let headers = vec![
                ("retry-after", format!("{}", retry_after.ceil() as u64)),
                ("x-ratelimit-limit", "5".to_string()),
                ("x-ratelimit-remaining", "0".to_string()),
                ("x-ratelimit-reset", format!("{reset:.3}")),
                ("x-ratelimit-reset-after", format!("{retry_after:.3}")),
                (
                    "x-ratelimit-bucket",
                    "fakebucket0123456789abcdef".to_string(),
                ),
                ("x-ratelimit-scope", "user".to_string()),
            ];
            rate_limited(retry_after, false, headers)
        }
        Fault::Status(400) => Reply::json(
            400,
            json!({"message": "Invalid Form Body", "code": 50035, "errors": {}}),
        ),
        Fault::Status(401) => Reply::error(401, 0, "401: Unauthorized"),
        Fault::Status(403) => Reply::error(403, 50013, "Missing Permissions"),
        Fault::Status(404) => not_found_for(path),
        Fault::Status(500) => Reply::error(500, 0, "500: Internal Server Error"),
        Fault::Status(502) => Reply::error(502, 0, "502: Bad Gateway"),
        Fault::Status(503) => Reply::error(503, 0, "503: Service Unavailable"),
        Fault::Status(other) => {
            Reply::error(other, 0, &format!("{other}: fault scripted by the test"))
        }
    }
}

/// Checks that serenity can read `value` as `T`; records a violation if not.
fn checked<T: serde::de::DeserializeOwned>(s: &mut State, what: &str, value: Value) -> Value {
    if let Err(e) = serde_path_to_error::deserialize::<_, T>(&value) {
        s.violations.push(format!(
            "fake Discord bug: its {what} does not deserialize into serenity's {} at `{}`: {}",
            std::any::type_name::<T>(),
            e.path(),
            e.inner()
        ));
    }
    value
}

fn id_of(seg: &str) -> Option<u64> {
    seg.parse().ok()
}

fn app_ok(app: &str) -> bool {
    app == APPLICATION_ID.to_string() || app == "@me"
}

fn route(
    s: &mut State,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    use serenity::model::prelude::*;
    let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
    let empty = json!({});
    let body_or_empty = body.unwrap_or(&empty);
    let _ = query;
    match (method, seg.as_slice()) {
        ("GET", ["gateway"]) => Reply::ok(json!({"url": s.gateway.url})),
        ("GET", ["gateway", "bot"]) => {
            let v = json!({
                "url": s.gateway.url,
                "shards": s.gateway.shard_count,
                "session_start_limit": {
                    "total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1
                },
            });
            Reply::ok(checked::<BotGateway>(s, "GET /gateway/bot", v))
        }
        ("GET", ["users", "@me"]) => {
            let mut u = bot_user();
            u["verified"] = json!(true);
            u["mfa_enabled"] = json!(false);
            Reply::ok(checked::<CurrentUser>(s, "GET /users/@me", u))
        }
        ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]) => {
            let v = json!({
                "id": APPLICATION_ID.to_string(),
                "name": payloads::BOT_NAME,
                "icon": null,
                "description": "The feud, told by a bot",
                "bot_public": true,
                "bot_require_code_grant": false,
                "owner": payloads::user(payloads::GUILD_OWNER_ID, "owner", false),
                "verify_key": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "team": null,
                "flags": (1u64 << 19) | (1u64 << 23),
                "bot": bot_user(),
            });
            Reply::ok(checked::<CurrentApplicationInfo>(s, "application info", v))
        }

        // ---- application commands ----
        (m, ["applications", app, "commands", rest @ ..]) if !app_ok(app) => {
            let _ = (m, rest);
            Reply::error(403, 50001, "Missing Access")
        }
        ("PUT", ["applications", _, "commands"]) => put_commands(s, None, body_or_empty),
        ("GET", ["applications", _, "commands"]) => Reply::ok(Value::Array(
            s.commands.get(&None).cloned().unwrap_or_default(),
        )),
        ("POST", ["applications", _, "commands"]) => post_command(s, None, body_or_empty),
        ("PUT", ["applications", _, "guilds", g, "commands"]) => match id_of(g) {
            Some(g) if s.world.guilds.contains_key(&g) => put_commands(s, Some(g), body_or_empty),
            _ => Reply::error(403, 50001, "Missing Access"),
        },
        ("GET", ["applications", _, "guilds", g, "commands"]) => {
            let g = id_of(g);
            Reply::ok(Value::Array(
                s.commands.get(&g).cloned().unwrap_or_default(),
            ))
        }
        ("POST", ["applications", _, "guilds", g, "commands"]) => match id_of(g) {
            Some(g) if s.world.guilds.contains_key(&g) => post_command(s, Some(g), body_or_empty),
            _ => Reply::error(403, 50001, "Missing Access"),
        },

        // ---- interactions ----
        ("POST", ["interactions", id, token, "callback"]) => callback(s, id, token, body_or_empty),
        (m, ["webhooks", app, token, "messages", which]) => {
            if !app_ok(app) {
                return Reply::error(404, 10015, "Unknown Webhook");
            }
            webhook_message(s, m, token, which, body_or_empty)
        }
        ("POST", ["webhooks", app, token]) => {
            if !app_ok(app) {
                return Reply::error(404, 10015, "Unknown Webhook");
            }
            followup(s, token, body_or_empty)
        }

        // ---- channels and messages ----
        ("GET", ["channels", c]) => {
            match id_of(c).and_then(|c| s.world.channels.get(&c)).cloned() {
                Some(ch) => Reply::ok(checked::<Channel>(s, "channel", ch)),
                None => not_found_for(path),
            }
        }
        ("POST", ["channels", c, "messages"]) => {
            let Some(c) = id_of(c).filter(|c| s.world.channels.contains_key(c)) else {
                return not_found_for(path);
            };
            let id = snowflake();
            let m = payloads::message(id, c, bot_user(), body_or_empty);
            s.messages.insert(id, m.clone());
            Reply::ok(checked::<Message>(s, "message", m))
        }
        (m, ["channels", c, "messages", mid]) => {
            let (Some(c), Some(mid)) = (id_of(c), id_of(mid)) else {
                return not_found_for(path);
            };
            let in_channel = s.messages.get(&mid).is_some_and(|m| {
                m.get("channel_id").and_then(Value::as_str) == Some(c.to_string().as_str())
            });
            if !in_channel {
                return not_found_for(path);
            }
            match m {
                "GET" => {
                    let msg = s.messages[&mid].clone();
                    Reply::ok(checked::<Message>(s, "message", msg))
                }
                "PATCH" => edit_message(s, mid, body_or_empty),
                "DELETE" => {
                    s.messages.remove(&mid);
                    Reply::no_content()
                }
                _ => unknown_route(),
            }
        }

        // ---- guilds ----
        ("GET", ["guilds", g]) => match id_of(g).and_then(|g| s.world.guilds.get(&g)).cloned() {
            Some(guild) => Reply::ok(checked::<PartialGuild>(s, "guild", guild)),
            None => not_found_for(path),
        },
        ("GET", ["guilds", g, "roles"]) => {
            match id_of(g)
                .and_then(|g| s.world.guilds.get(&g))
                .map(|g| g["roles"].clone())
            {
                Some(roles) => Reply::ok(checked::<Vec<Role>>(s, "roles", roles)),
                None => not_found_for(path),
            }
        }
        ("GET", ["guilds", g, "channels"]) => {
            let Some(g) = id_of(g).filter(|g| s.world.guilds.contains_key(g)) else {
                return not_found_for(path);
            };
            let gs = g.to_string();
            let list: Vec<Value> = s
                .world
                .channels
                .values()
                .filter(|c| c.get("guild_id").and_then(Value::as_str) == Some(gs.as_str()))
                .cloned()
                .collect();
            Reply::ok(checked::<Vec<GuildChannel>>(
                s,
                "guild channels",
                Value::Array(list),
            ))
        }
        ("PUT", ["guilds", g, "members", u, "roles", r]) => match (id_of(g), id_of(u), id_of(r)) {
            (Some(g), Some(u), Some(r)) => add_member_role(s, g, u, r),
            _ => not_found_for(path),
        },
        ("GET", ["guilds", g, "members", u]) => {
            let user = if *u == "@me" {
                Some(BOT_USER_ID)
            } else {
                id_of(u)
            };
            match (id_of(g), user) {
                (Some(g), Some(u)) => match s.world.members.get(&(g, u)).cloned() {
                    Some(member) => Reply::ok(checked::<Member>(s, "member", member)),
                    None => not_found_for(path),
                },
                _ => not_found_for(path),
            }
        }
        _ => unknown_route(),
    }
}

/// `PUT /guilds/{g}/members/{u}/roles/{r}` as Discord answers it: the bot needs Manage
/// Roles (or Administrator) from its roles, and the role must be below its highest.
fn add_member_role(s: &mut State, g: u64, u: u64, r: u64) -> Reply {
    let Some(guild) = s.world.guilds.get(&g) else {
        return Reply::error(404, 10004, "Unknown Guild");
    };
    let roles: Vec<Value> = guild["roles"].as_array().cloned().unwrap_or_default();
    let id = |role: &Value| role["id"].as_str().and_then(id_of).unwrap_or(0);
    let position = |role: &Value| role["position"].as_u64().unwrap_or(0);
    let Some(target) = roles.iter().find(|role| id(role) == r) else {
        return Reply::error(404, 10011, "Unknown Role");
    };
    let held: Vec<u64> = s
        .world
        .members
        .get(&(g, BOT_USER_ID))
        .and_then(|m| m["roles"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.as_str().and_then(id_of))
        .collect();
    let bot_roles: Vec<&Value> = roles
        .iter()
        .filter(|role| id(role) == g || held.contains(&id(role)))
        .collect();
    let permissions = bot_roles.iter().fold(0u64, |bits, role| {
        bits | role["permissions"]
            .as_str()
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(0)
    });
    let highest = bot_roles
        .iter()
        .map(|role| position(role))
        .max()
        .unwrap_or(0);
    let may_manage = permissions & ((1 << 3) | (1 << 28)) != 0;
    if !may_manage || position(target) >= highest || target["managed"] == json!(true) {
        return Reply::error(403, 50013, "Missing Permissions");
    }
    let Some(member) = s.world.members.get_mut(&(g, u)) else {
        return Reply::error(404, 10007, "Unknown Member");
    };
    if let Some(list) = member["roles"].as_array_mut() {
        let role = json!(r.to_string());
        if !list.contains(&role) {
            list.push(role);
        }
    }
    Reply::no_content()
}

/// Gives a registration body the fields Discord adds (`id`, `application_id`,
/// `version`, defaults) and checks serenity can read it as a `Command`.
fn stored_command(s: &mut State, guild: Option<u64>, body: &Value, id: u64) -> Value {
    let mut c = body.clone();
    if let Some(o) = c.as_object_mut() {
        o.insert("id".into(), json!(id.to_string()));
        o.insert("application_id".into(), json!(APPLICATION_ID.to_string()));
        o.insert("version".into(), json!(snowflake().to_string()));
        o.entry("type").or_insert(json!(1));
        o.entry("description").or_insert(json!(""));
        o.entry("default_member_permissions").or_insert(Value::Null);
        o.entry("nsfw").or_insert(json!(false));
        if let Some(g) = guild {
            o.insert("guild_id".into(), json!(g.to_string()));
        }
    }
    checked::<serenity::model::application::Command>(s, "registered command", c)
}

fn put_commands(s: &mut State, guild: Option<u64>, body: &Value) -> Reply {
    let Some(list) = body.as_array() else {
        return Reply::json(
            400,
            json!({"message": "Invalid Form Body", "code": 50035, "errors": {}}),
        );
    };
    let previous = s.commands.get(&guild).cloned().unwrap_or_default();
    let stored: Vec<Value> = list
        .iter()
        .map(|c| {
            // Discord keeps the id of a command that keeps its name.
            let id = previous
                .iter()
                .find(|p| p.get("name") == c.get("name"))
                .and_then(|p| {
                    p.get("id")
                        .and_then(Value::as_str)
                        .and_then(|i| i.parse().ok())
                })
                .unwrap_or_else(snowflake);
            stored_command(s, guild, c, id)
        })
        .collect();
    s.commands.insert(guild, stored.clone());
    Reply::ok(Value::Array(stored))
}

fn post_command(s: &mut State, guild: Option<u64>, body: &Value) -> Reply {
    let c = stored_command(s, guild, body, snowflake());
    let list = s.commands.entry(guild).or_default();
    list.retain(|p| p.get("name") != c.get("name"));
    list.push(c.clone());
    Reply::json(201, c)
}

/// A message the bot sends through an interaction webhook.
fn webhook_message_json(channel_id: u64, kind: u64, body: &Value) -> (u64, Value) {
    let id = snowflake();
    let mut m = payloads::message(id, channel_id, bot_user(), body);
    m["type"] = json!(kind);
    m["webhook_id"] = json!(APPLICATION_ID.to_string());
    m["application_id"] = json!(APPLICATION_ID.to_string());
    (id, m)
}

fn callback(s: &mut State, id: &str, token: &str, body: &Value) -> Reply {
    let Some(rec) = s.interactions.get(token).cloned() else {
        return Reply::error(404, 10062, "Unknown interaction");
    };
    if id_of(id) != Some(rec.id) {
        return Reply::error(404, 10062, "Unknown interaction");
    }
    if rec.acked.is_some() {
        return Reply::error(400, 40060, "Interaction has already been acknowledged.");
    }
    let Some(kind) = body.get("type").and_then(Value::as_u64) else {
        return Reply::json(
            400,
            json!({"message": "Invalid Form Body", "code": 50035, "errors": {}}),
        );
    };
    let allowed: &[u64] = match rec.kind {
        2 => &[4, 5, 9],
        3 => &[4, 5, 6, 7, 9],
        4 => &[8],
        5 => &[4, 5, 6, 7],
        _ => &[],
    };
    if !allowed.contains(&kind) {
        s.violations.push(format!(
            "POST /interactions/{id}/…/callback: response type {kind} is not allowed for an \
             interaction of type {} (allowed: {allowed:?})",
            rec.kind
        ));
        return Reply::json(
            400,
            json!({"message": "Invalid Form Body", "code": 50035, "errors": {}}),
        );
    }
    let data = body.get("data").cloned().unwrap_or(json!({}));
    let mut original = None;
    match kind {
        4 => {
            let (mid, m) = webhook_message_json(rec.channel_id, 20, &data);
            s.messages.insert(mid, m);
            original = Some(mid);
        }
        5 => {
            // "Thinking…": an empty loading message until the bot edits @original.
            let ephemeral = data.get("flags").and_then(Value::as_u64).unwrap_or(0) & 64;
            let (mid, m) =
                webhook_message_json(rec.channel_id, 20, &json!({"flags": 128 | ephemeral}));
            s.messages.insert(mid, m);
            original = Some(mid);
        }
        7 => {
            if let Some(mid) = rec.source_message {
                if let Some(m) = s.messages.get_mut(&mid) {
                    payloads::apply_edit(m, &data);
                    m["edited_timestamp"] = json!(payloads::now_timestamp());
                }
                original = Some(mid);
            }
        }
        6 => original = rec.source_message,
        _ => {}
    }
    if let Some(r) = s.interactions.get_mut(token) {
        r.acked = Some(kind);
        r.original = original;
    }
    Reply::no_content()
}

fn webhook_message(s: &mut State, method: &str, token: &str, which: &str, body: &Value) -> Reply {
    let Some(rec) = s.interactions.get(token).cloned() else {
        return Reply::error(404, 10015, "Unknown Webhook");
    };
    if rec.acked.is_none() {
        return Reply::error(404, 10015, "Unknown Webhook");
    }
    let mid = if which == "@original" {
        rec.original
    } else {
        id_of(which).filter(|m| rec.followups.contains(m) || rec.original == Some(*m))
    };
    let Some(mid) = mid.filter(|m| s.messages.contains_key(m)) else {
        return Reply::error(404, 10008, "Unknown Message");
    };
    match method {
        "GET" => {
            let m = s.messages[&mid].clone();
            Reply::ok(checked::<serenity::model::channel::Message>(
                s, "message", m,
            ))
        }
        "PATCH" => edit_message(s, mid, body),
        "DELETE" => {
            s.messages.remove(&mid);
            if let Some(r) = s.interactions.get_mut(token) {
                if r.original == Some(mid) {
                    r.original = None;
                }
                r.followups.retain(|f| *f != mid);
            }
            Reply::no_content()
        }
        _ => unknown_route(),
    }
}

fn edit_message(s: &mut State, mid: u64, body: &Value) -> Reply {
    let Some(m) = s.messages.get_mut(&mid) else {
        return Reply::error(404, 10008, "Unknown Message");
    };
    payloads::apply_edit(m, body);
    // An edit ends the "thinking…" state of a deferred response.
    if let Some(flags) = m.get("flags").and_then(Value::as_u64) {
        m["flags"] = json!(flags & !128);
    }
    m["edited_timestamp"] = json!(payloads::now_timestamp());
    let m = m.clone();
    Reply::ok(checked::<serenity::model::channel::Message>(
        s, "message", m,
    ))
}

fn followup(s: &mut State, token: &str, body: &Value) -> Reply {
    let Some(rec) = s.interactions.get(token).cloned() else {
        return Reply::error(404, 10015, "Unknown Webhook");
    };
    if rec.acked.is_none() {
        return Reply::error(404, 10015, "Unknown Webhook");
    }
    let (mid, m) = webhook_message_json(rec.channel_id, 0, body);
    s.messages.insert(mid, m.clone());
    if let Some(r) = s.interactions.get_mut(token) {
        r.followups.push(mid);
    }
    Reply::ok(checked::<serenity::model::channel::Message>(
        s, "message", m,
    ))
}
