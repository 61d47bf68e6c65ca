//! feudbot: the story of the feud between Elon Musk and Sam Altman over OpenAI, as a
//! dataset, a query core and the commands of a Discord bot.
//!
//! Layers, each using only those before it: `search` → `data` → `query` → `cards` →
//! `quiz`, `daily` → `store`, `picture` → `commands` → `app` → `config`, `logging` →
//! `discord`, `console`; `reply`, `permissions`, `caller` and `clock` are the vocabulary they
//! share. `tests/architecture.rs` keeps it so.

pub mod app;
pub mod caller;
pub mod cards;
pub mod clock;
pub mod commands;
pub mod config;
pub mod console;
pub mod daily;
pub mod data;
pub mod discord;
pub mod logging;
pub mod monitor;
pub mod permissions;
pub mod picture;
pub mod query;
pub mod quiz;
pub mod reply;
pub mod search;
pub mod store;
