//! The fake gateway: a WebSocket server speaking Discord's gateway protocol (JSON text
//! frames, no compression) well enough for serenity's shard runner.
//!
//! Per connection: HELLO first; then IDENTIFY → READY (new session, `s` = 1), RESUME →
//! RESUMED (same session, sequence continues, nothing replayed; an unknown session gets
//! INVALID_SESSION false), heartbeat → HEARTBEAT_ACK. Each shard has its own session:
//! an IDENTIFY's `shard` ([id, count]) must match the fake's shard count (else close
//! code 4010, invalid shard), and the connection that last completed IDENTIFY or RESUME
//! for a shard is its "current" one; that shard's dispatches go there, each server's to
//! its shard (`(guild_id >> 22) % count`), DMs to shard 0.
//!
//! Every dispatch the fake sends, READY included, is first deserialized into serenity's
//! `GatewayEvent` and must come out as a known event: serenity drops undecodable
//! dispatches with only a DEBUG log line, which would otherwise surface as a test
//! waiting forever.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use serenity::model::application::{CommandInteraction, ComponentInteraction, ModalInteraction};
use serenity::model::event::{Event, GatewayEvent};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::payloads::{APPLICATION_ID, GUILD_ID, bot_user, snowflake};
use super::{Inner, Session, State};

/// A frame for a connection's writer task.
#[derive(Debug)]
pub enum Outgoing {
    Text(String),
    /// A close frame with this code; the writer stops after it.
    Close(u16),
}

/// Accepts WebSocket connections until the fake is dropped.
pub(crate) async fn serve(listener: TcpListener, inner: Arc<Inner>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        if inner.read(|s| s.gateway.refusing) {
            drop(stream);
            continue;
        }
        // No Nagle delay on small gateway frames (see the REST listener).
        let _ = stream.set_nodelay(true);
        let task = tokio::spawn(connection(stream, Arc::clone(&inner)));
        inner.track(task.abort_handle());
    }
}

// The handshake callback's signature (with its large `ErrorResponse`) is tungstenite's.
#[allow(clippy::result_large_err)]
async fn connection(stream: TcpStream, inner: Arc<Inner>) {
    let mut uri = String::new();
    let ws = tokio_tungstenite::accept_hdr_async(stream, |req: &Request, resp: Response| {
        uri = req.uri().to_string();
        Ok(resp)
    })
    .await;
    let ws = match ws {
        Ok(ws) => ws,
        Err(e) => {
            inner.update(|s| {
                s.violations
                    .push(format!("gateway: WebSocket handshake failed: {e}"));
            });
            return;
        }
    };
    let mut ws = ws;
    let (tx, mut rx) = mpsc::unbounded_channel::<Outgoing>();
    let conn = inner.update(|s| {
        s.gateway.connections.push(uri);
        let hello = json!({"op": 10, "s": null, "t": null,
            "d": {"heartbeat_interval": s.gateway.heartbeat_interval_ms}});
        let _ = tx.send(Outgoing::Text(hello.to_string()));
        s.gateway.connections.len() - 1
    });

    // One task reads and writes, so a close handshake is answered on the spot: the
    // client (serenity's shutdown) waits for the server's close frame.
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Outgoing::Text(text)) => {
                    if ws.send(Message::text(text)).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Close(code)) => {
                    let frame = CloseFrame {
                        code: CloseCode::from(code),
                        reason: "closed by the fake".into(),
                    };
                    let _ = ws.close(Some(frame)).await;
                    break;
                }
                None => break,
            },
            msg = ws.next() => {
                let text = match msg {
                    Some(Ok(Message::Text(t))) => t.as_str().to_string(),
                    Some(Ok(Message::Binary(b))) => String::from_utf8_lossy(&b).into_owned(),
                    Some(Ok(Message::Close(_))) => {
                        // tungstenite has queued the reply; send it.
                        let _ = ws.flush().await;
                        break;
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => break,
                };
                inner.update(|s| on_frame(s, conn, &tx, &text));
            }
        }
    }
    inner.update(|s| {
        for session in s.gateway.sessions.values_mut() {
            if session.current.as_ref().is_some_and(|(c, _)| *c == conn) {
                session.current = None;
            }
        }
    });
}

/// Handles one frame from the client.
fn on_frame(s: &mut State, conn: usize, tx: &mpsc::UnboundedSender<Outgoing>, text: &str) {
    let frame: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            s.violations.push(format!(
                "gateway: client sent a non-JSON frame ({e}): {text}"
            ));
            return;
        }
    };
    let d = frame.get("d").cloned().unwrap_or(Value::Null);
    match frame.get("op").and_then(Value::as_u64) {
        Some(1) => {
            s.gateway.heartbeats += 1;
            if s.gateway.ack_heartbeats {
                let ack = json!({"op": 11, "s": null, "t": null, "d": null});
                let _ = tx.send(Outgoing::Text(ack.to_string()));
            }
        }
        Some(2) => {
            s.gateway.identifies.push(d.clone());
            let shard = d.get("shard").cloned().unwrap_or(json!([0, 1]));
            let (id, count) = (shard[0].as_u64(), shard[1].as_u64());
            let count_ok = count == Some(u64::from(s.gateway.shard_count));
            let Some(id) = id.filter(|&id| count_ok && id < u64::from(s.gateway.shard_count))
            else {
                s.violations.push(format!(
                    "gateway: IDENTIFY with shard {shard}, but the bot has {} shard(s)",
                    s.gateway.shard_count
                ));
                let _ = tx.send(Outgoing::Close(4010));
                return;
            };
            // Below the shard count, a u32.
            let id = id as u32;
            let session_id = format!("fakesession{:x}", snowflake());
            s.gateway.sessions.insert(
                id,
                Session {
                    id: Some(session_id.clone()),
                    seq: 0,
                    current: Some((conn, tx.clone())),
                },
            );
            let mut user = bot_user();
            user["verified"] = json!(true);
            user["mfa_enabled"] = json!(false);
            user["flags"] = json!(0);
            let ready = json!({
                "v": 10,
                "user": user,
                "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
                "session_id": session_id,
                "session_type": "normal",
                "resume_gateway_url": s.gateway.url,
                "shard": shard,
                "application": {"id": APPLICATION_ID.to_string(), "flags": (1u64 << 19) | (1u64 << 23)},
                "private_channels": [],
                "presences": [],
                "relationships": [],
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": ["us-east"],
                "_trace": ["[\"fake-gateway\",{\"micros\":1}]"],
            });
            if let Err(why) = send_dispatch(s, id, "READY", &ready) {
                s.violations.push(format!("fake Discord bug: READY: {why}"));
            }
        }
        Some(6) => {
            s.gateway.resumes.push(d.clone());
            let theirs = d.get("session_id").and_then(Value::as_str);
            let shard = s
                .gateway
                .sessions
                .iter()
                .find(|(_, session)| session.id.is_some() && session.id.as_deref() == theirs)
                .map(|(&shard, _)| shard);
            let Some(shard) = shard else {
                let invalid = json!({"op": 9, "s": null, "t": null, "d": false});
                let _ = tx.send(Outgoing::Text(invalid.to_string()));
                return;
            };
            let session = s.gateway.sessions.entry(shard).or_default();
            let their_seq = d.get("seq").and_then(Value::as_u64).unwrap_or(0);
            let our_seq = session.seq;
            session.current = Some((conn, tx.clone()));
            if their_seq != our_seq {
                s.violations.push(format!(
                    "gateway: RESUME with seq {their_seq}, but the last dispatch sent had seq {our_seq}"
                ));
            }
            if let Err(why) = send_dispatch(s, shard, "RESUMED", &json!({})) {
                s.violations
                    .push(format!("fake Discord bug: RESUMED: {why}"));
            }
        }
        _ => s.gateway.other_frames.push(frame),
    }
}

/// Sends dispatch `t`/`d` to `shard`'s current connection with its session's next
/// sequence number. `Ok(None)` if the shard has no connection (the caller waits and
/// retries), `Err` if serenity would not decode the frame.
pub(crate) fn send_dispatch(
    s: &mut State,
    shard: u32,
    t: &str,
    d: &Value,
) -> Result<Option<()>, String> {
    let Some(session) = s.gateway.sessions.get_mut(&shard) else {
        return Ok(None);
    };
    let Some((conn, tx)) = session.current.clone() else {
        return Ok(None);
    };
    let seq = session.seq + 1;
    let frame = json!({"op": 0, "s": seq, "t": t, "d": d});
    check_dispatch(&frame)?;
    if tx.send(Outgoing::Text(frame.to_string())).is_err() {
        session.current = None;
        return Ok(None);
    }
    session.seq = seq;
    s.gateway.dispatches.push((conn, frame));
    Ok(Some(()))
}

/// Deserializes a dispatch frame the way serenity's shard does, and requires a known
/// event (serenity maps undecodable dispatches to `Event::Unknown` or drops them).
pub(crate) fn check_dispatch(frame: &Value) -> Result<(), String> {
    let t = frame.get("t").and_then(Value::as_str).unwrap_or("?");
    match serde_json::from_value::<GatewayEvent>(frame.clone()) {
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => Err(format!(
            "serenity decodes this {t} dispatch as Event::Unknown (it would not reach the \
             event handler): {frame}"
        )),
        Ok(GatewayEvent::Dispatch(..)) => Ok(()),
        Ok(other) => Err(format!("not a dispatch: {other:?}")),
        Err(e) => Err(format!(
            "serenity cannot decode this {t} dispatch: {e}\nframe: {frame}"
        )),
    }
}

/// Deserializes an interaction into serenity's type for its `type`, reporting the JSON
/// path of the first problem (serenity's own `Interaction` decoder loses the path).
pub(crate) fn check_interaction(payload: &Value) -> Result<(), String> {
    fn decode<T: serde::de::DeserializeOwned>(payload: &Value, ty: &str) -> Result<(), String> {
        serde_path_to_error::deserialize::<_, T>(payload)
            .map(|_| ())
            .map_err(|e| {
                format!(
                    "as serenity's {ty}, at `{}`: {}\npayload: {payload}",
                    e.path(),
                    e.inner()
                )
            })
    }
    match payload.get("type").and_then(Value::as_u64) {
        Some(2 | 4) => decode::<CommandInteraction>(payload, "CommandInteraction")?,
        Some(3) => decode::<ComponentInteraction>(payload, "ComponentInteraction")?,
        Some(5) => decode::<ModalInteraction>(payload, "ModalInteraction")?,
        other => {
            return Err(format!(
                "interaction `type` is {other:?}, expected 2, 3, 4 or 5"
            ));
        }
    }
    for key in ["id", "token", "channel_id"] {
        if payload.get(key).and_then(Value::as_str).is_none() {
            return Err(format!("interaction has no string `{key}`: {payload}"));
        }
    }
    // And the whole frame, as the shard will see it.
    check_dispatch(&json!({"op": 0, "s": 1, "t": "INTERACTION_CREATE", "d": payload}))
}
