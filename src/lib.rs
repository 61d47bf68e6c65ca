//! feudbot: the story of the feud between Elon Musk and Sam Altman over OpenAI, as a
//! dataset, a query core and the commands of a Discord bot.

pub mod clock;
pub mod commands;
pub mod config;
pub mod console;
pub mod daily;
pub mod data;
pub mod discord;
pub mod query;
pub mod quiz;
pub mod reply;
pub mod search;
pub mod store;
