//! `/search`: everything that matches some words, best first.

use super::{Args, Body, CommandSpec, Ctx, OptionSpec, Request, UserError, stale_button};
use crate::data::Dataset;
use crate::reply::{Button, ButtonStyle, Reply, Tone, fit};
use crate::search::{DocKind, Hit};

/// Results per page.
const PER_PAGE: usize = 8;
/// Longest query, so that it fits in a button's `custom_id` with the page.
const QUERY_MAX: usize = 80;
/// Pages reachable with the buttons; past this, the query needs narrowing.
const PAGES_MAX: usize = 50;

/// `/search query [page]`.
pub const SEARCH: CommandSpec = CommandSpec {
    name: "search",
    description: "Search events, quotes and people; typos are fine",
    body: Body::Options(
        &[
            OptionSpec::text(
                "query",
                "Words, names or numbers, e.g. stargate or 97.4",
                "stargate",
            )
            .required()
            .max_length(QUERY_MAX),
            OptionSpec::integer(
                "page",
                "Which page of results to show",
                "2",
                1,
                PAGES_MAX as i64,
            ),
        ],
        run,
    ),
    press: Some(press),
    permissions: None,
    guild_only: false,
    rules: "",
};

fn run(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let query = args.text("query").unwrap_or_default();
    let page = args.integer("page").unwrap_or(1) as usize;
    render(ctx.data, query, page).map(Request::Reply)
}

fn press(ctx: &mut Ctx, state: &str) -> Result<Request, UserError> {
    let (page, query) = state.split_once(':').ok_or_else(stale_button)?;
    let page: usize = page.parse().map_err(|_| stale_button())?;
    if query.trim().is_empty() || query.chars().count() > QUERY_MAX {
        return Err(stale_button());
    }
    render(ctx.data, query, page).map(Request::Reply)
}

fn line(data: &Dataset, hit: &Hit) -> String {
    let i = hit.doc.index as usize;
    match hit.doc.kind {
        DocKind::Event => {
            let e = &data.events()[i];
            format!("📅 `{}` **{}**", e.date, e.title)
        }
        DocKind::Quote => {
            let q = &data.quotes()[i];
            format!("💬 “{}” — {}", fit(&q.text, 140), data.speakers(q))
        }
        DocKind::Person => {
            let p = &data.people()[i];
            format!("👤 **{}** — {}", p.name, fit(&p.role, 140))
        }
    }
}

fn render(data: &Dataset, query: &str, page: usize) -> Result<Reply, UserError> {
    let page = page.clamp(1, PAGES_MAX);
    let (hits, total) = data.index().search(query, None, page * PER_PAGE);
    if total == 0 {
        return Err(UserError::new(format!(
            "Nothing matches `{query}`. Try a name (`altman`), a topic (`lawsuit`), a number \
             (`97.4`), or `/timeline` to browse the story."
        )));
    }
    let pages = total.div_ceil(PER_PAGE).clamp(1, PAGES_MAX);
    let page = page.min(pages);
    let lines: Vec<String> = hits
        .iter()
        .skip((page - 1) * PER_PAGE)
        .map(|hit| line(data, hit))
        .collect();
    let mut reply = Reply::new(Tone::Info, &format!("Search · “{query}”"))
        .text(lines.join("\n"))
        .footer(&format!(
            "Page {page} of {pages} · {total} result{} · open one with /event, /quote or /person",
            if total == 1 { "" } else { "s" }
        ));
    if pages > 1 {
        let id = |target: usize| format!("search:{target}:{query}");
        reply = reply.buttons(vec![
            Button::new("◀ Previous", id(page - 1), ButtonStyle::Secondary).disabled(page == 1),
            Button::new("Next ▶", id(page + 1), ButtonStyle::Primary).disabled(page == pages),
        ]);
    }
    Ok(reply)
}
