//! The timeline picture: years along the bottom, a lane for Musk, one for Altman and one
//! for everyone else; each event a mark on the lanes of its people, shaped by how
//! precisely its date is known, coloured by its topic, labelled by its title where the
//! title fits and by a number (explained in the legend) where it does not. Past
//! [`AGGREGATE_OVER`] events, marks would merge into a smear, so events are counted per
//! month or per year and drawn as bars instead.
//!
//! The layout is a [`Timeline`] scene, a plain value the tests read; drawing it is a
//! separate step.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};

use crate::data::{Dataset, Date, Event};
use crate::query::{self, TimelineFilter};

use super::PictureError;
use super::canvas::{Canvas, Colour, Rect, TOPIC_COLOURS, Text, Theme, Tone};

/// The picture's width: Discord shows it at 400–550 px on a phone, so text stays
/// readable at about three quarters of its size.
pub const WIDTH: f32 = 640.0;
/// Above this many events, events are counted per month or year rather than drawn.
pub const AGGREGATE_OVER: usize = 120;
/// The legend explains at most this many numbers; the rest are in the page's list.
const LEGEND_MAX: usize = 30;
/// The people with a lane of their own, in lane order; everyone else shares the last.
const PROTAGONISTS: [&str; 2] = ["musk", "altman"];

const PAD: f32 = 16.0;
const TITLE_SIZE: f32 = 21.0;
const TEXT_SIZE: f32 = 16.0;
const LABEL_SIZE: f32 = 15.0;
const LANE_HEIGHT: f32 = 46.0;
/// Offsets from a lane's middle where marks go, so near-simultaneous marks sit side by
/// side rather than on top of each other.
const SUB_ROWS: [f32; 3] = [0.0, -14.0, 14.0];
const LABEL_ROWS: usize = 7;
const ROW_GAP: f32 = 3.0;
const POINT_RADIUS: f32 = 5.0;
const BOUND_TAIL: f32 = 30.0;

/// The shape of a mark, by how precisely its date is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// Known to the day: a dot.
    Point {
        /// Centre.
        x: f32,
        /// Centre.
        y: f32,
    },
    /// Known to the month: a short bar across that month.
    Span {
        /// Start of the month.
        x0: f32,
        /// End of the month.
        x1: f32,
        /// Middle.
        y: f32,
    },
    /// Known to the year: a bracket across that year.
    Bracket {
        /// Start of the year.
        x0: f32,
        /// End of the year.
        x1: f32,
        /// Middle.
        y: f32,
    },
    /// Happened by then at the latest: a bar at the date with a dashed tail reaching
    /// back into the unknown.
    Bound {
        /// The latest the date may be.
        x: f32,
        /// Middle.
        y: f32,
    },
    /// The events of one month or year counted: a bar as tall as their number.
    Bar {
        /// Start of the period.
        x0: f32,
        /// End of the period.
        x1: f32,
        /// Bottom.
        base: f32,
        /// Height.
        height: f32,
    },
}

impl Shape {
    /// The horizontal extent the shape covers.
    fn extent(&self) -> (f32, f32) {
        match *self {
            Shape::Point { x, .. } => (x - POINT_RADIUS, x + POINT_RADIUS),
            Shape::Span { x0, x1, .. } | Shape::Bracket { x0, x1, .. } => (x0, x1),
            Shape::Bound { x, .. } => (x - BOUND_TAIL, x + 1.0),
            Shape::Bar { x0, x1, .. } => (x0, x1),
        }
    }

    /// The top of the shape.
    fn top(&self) -> f32 {
        match *self {
            Shape::Point { y, .. } => y - POINT_RADIUS,
            Shape::Span { y, .. } => y - 4.0,
            Shape::Bracket { y, .. } | Shape::Bound { y, .. } => y - 6.0,
            Shape::Bar { base, height, .. } => base - height,
        }
    }

    fn with_y(self, new: f32) -> Shape {
        match self {
            Shape::Point { x, .. } => Shape::Point { x, y: new },
            Shape::Span { x0, x1, .. } => Shape::Span { x0, x1, y: new },
            Shape::Bracket { x0, x1, .. } => Shape::Bracket { x0, x1, y: new },
            Shape::Bound { x, .. } => Shape::Bound { x, y: new },
            bar @ Shape::Bar { .. } => bar,
        }
    }
}

/// One mark on one lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Which item of [`Timeline::items`] it stands for.
    pub item: usize,
    /// Lane 0 is Musk's, 1 Altman's, 2 everyone else's.
    pub lane: usize,
    /// Where and what.
    pub shape: Shape,
    /// Its topic colour.
    pub tone: Tone,
}

/// A label above the lanes, joined to its item's top mark by a thin line.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Which item of [`Timeline::items`] it names.
    pub item: usize,
    /// The title, or the item's number in the legend.
    pub text: Text,
    /// Whether it is a number rather than the title.
    pub numbered: bool,
    /// The top of the item's highest mark, where the joining line ends.
    pub anchor: (f32, f32),
}

/// How finely counted events are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Per calendar month.
    Month,
    /// Per calendar year.
    Year,
}

/// What the marks stand for.
#[derive(Clone, Debug, PartialEq)]
pub enum Items {
    /// One item per event: the event ids, oldest first.
    Events(Vec<String>),
    /// One item per period with events: `(year, month, how many events)`, in order.
    Counts(Period, Vec<(i32, Option<u32>, usize)>),
}

/// The timeline picture, laid out and ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// Canvas width.
    pub width: f32,
    /// Canvas height.
    pub height: f32,
    /// What the marks stand for.
    pub items: Items,
    /// Every mark.
    pub marks: Vec<Mark>,
    /// Titles and numbers above the lanes.
    pub labels: Vec<Label>,
    /// Every other text: title, lane names, years, key, legend.
    pub texts: Vec<Text>,
    /// The lanes' bands.
    pub lanes: Vec<Rect>,
    /// The axis: its height on the canvas and the x of each year's start.
    pub axis: (f32, Vec<f32>),
    /// Colour swatches of the topic key.
    pub swatches: Vec<(Rect, Tone)>,
    /// The shapes of the precision key (day, month, year, at the latest).
    pub key_shapes: Vec<Shape>,
}

/// Events of one lane and period, counted per topic colour.
type Cells = BTreeMap<(usize, (i32, Option<u32>)), BTreeMap<usize, usize>>;

/// Where on the x axis a day falls: years are equal widths.
struct Scale {
    first_year: i32,
    years: i32,
    left: f32,
    right: f32,
}

impl Scale {
    /// The x of a moment given as a year and the fraction of it elapsed.
    fn x(&self, year: i32, fraction: f32) -> f32 {
        let years = (year - self.first_year) as f32 + fraction;
        self.left + (self.right - self.left) * years / self.years as f32
    }

    /// The x of the start of a day; a day past the month's end rolls into the next.
    fn day(&self, year: i32, month: u32, day: u32) -> f32 {
        let date = NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.checked_add_days(Days::new(u64::from(day.saturating_sub(1)))));
        let Some(date) = date else {
            return self.x(year, 0.0);
        };
        let length = if date.leap_year() { 366.0 } else { 365.0 };
        self.x(date.year(), date.ordinal0() as f32 / length)
    }

    /// The x of the end of a month.
    fn month_end(&self, year: i32, month: u32) -> f32 {
        if month >= 12 {
            self.day(year + 1, 1, 1)
        } else {
            self.day(year, month + 1, 1)
        }
    }

    /// The mark for a date, centred on `y`.
    fn shape(&self, date: &Date, y: f32) -> Shape {
        let year = date.year();
        match (date.month(), date.day()) {
            (Some(m), _) if date.is_bound() => Shape::Bound {
                x: match date.day() {
                    Some(d) => self.day(year, m, d + 1),
                    None => self.month_end(year, m),
                },
                y,
            },
            (Some(m), Some(d)) => {
                let x = (self.day(year, m, d) + self.day(year, m, d + 1)) / 2.0;
                Shape::Point { x, y }
            }
            (Some(m), None) => {
                let (x0, x1) = (self.day(year, m, 1), self.month_end(year, m));
                // A month is a few pixels wide over a decade: widen it to read as a
                // bar, never as a dot.
                let half = ((x1 - x0) / 2.0).max(5.0);
                let middle = (x0 + x1) / 2.0;
                Shape::Span {
                    x0: middle - half,
                    x1: middle + half,
                    y,
                }
            }
            (None, _) if date.is_bound() => Shape::Bound {
                x: self.x(year + 1, 0.0),
                y,
            },
            (None, _) => Shape::Bracket {
                x0: self.x(year, 0.0) + 1.0,
                x1: self.x(year + 1, 0.0) - 1.0,
                y,
            },
        }
    }
}

/// Rows of occupied intervals: finds the first row where an interval is free.
struct Rows(Vec<Vec<(f32, f32)>>);

impl Rows {
    fn new(count: usize) -> Rows {
        Rows(vec![Vec::new(); count])
    }

    fn free(&self, row: usize, (a, b): (f32, f32), gap: f32) -> bool {
        self.0[row]
            .iter()
            .all(|&(c, d)| b + gap <= c || d + gap <= a)
    }

    /// Takes the first row where `span` is free, if any.
    fn take(&mut self, span: (f32, f32), gap: f32) -> Option<usize> {
        let row = (0..self.0.len()).find(|&row| self.free(row, span, gap))?;
        self.0[row].push(span);
        Some(row)
    }
}

/// The lanes an event's marks go on.
fn lanes_of(event: &Event) -> Vec<usize> {
    let mut lanes: Vec<usize> = PROTAGONISTS
        .iter()
        .enumerate()
        .filter(|(_, id)| event.people.iter().any(|p| p == *id))
        .map(|(lane, _)| lane)
        .collect();
    let others = event
        .people
        .iter()
        .any(|p| !PROTAGONISTS.contains(&p.as_str()));
    if others || lanes.is_empty() {
        lanes.push(PROTAGONISTS.len());
    }
    lanes
}

/// The topic colour of each event: the most common topics of the selection get a
/// colour each, the rest share "other". Returns the colours and the key's entries.
fn topics(events: &[&Event]) -> (Vec<Tone>, Vec<(String, Tone)>) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for event in events {
        for tag in &event.tags {
            *counts.entry(tag.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let other = TOPIC_COLOURS.len() - 1;
    let coloured: Vec<&str> = ranked.iter().take(other).map(|(tag, _)| *tag).collect();
    let tones: Vec<Tone> = events
        .iter()
        .map(|event| {
            let index = event
                .tags
                .iter()
                .find_map(|tag| coloured.iter().position(|c| c == tag));
            Tone::Topic(index.unwrap_or(other))
        })
        .collect();
    let mut key: Vec<(String, Tone)> = coloured
        .iter()
        .enumerate()
        .filter(|(i, _)| tones.contains(&Tone::Topic(*i)))
        .map(|(i, tag)| (tag.to_string(), Tone::Topic(i)))
        .collect();
    if tones.contains(&Tone::Topic(other)) {
        key.push(("other topics".to_string(), Tone::Topic(other)));
    }
    (tones, key)
}

/// The short name on a lane: the last word of the person's name.
fn lane_name(data: &Dataset, id: &str) -> String {
    let name = data.name(id);
    name.rsplit(' ').next().unwrap_or(name).to_string()
}

/// What the picture shows, in words: the count, the years and the filter.
fn subtitle(data: &Dataset, filter: &TimelineFilter, count: usize, years: (i32, i32)) -> String {
    let mut parts = vec![match count {
        1 => "1 event".to_string(),
        n => format!("{n} events"),
    }];
    if count > 0 {
        parts.push(if years.0 == years.1 {
            years.0.to_string()
        } else {
            format!("{}–{}", years.0, years.1)
        });
    }
    if let Some(person) = &filter.person {
        parts.push(format!("with {}", data.name(person)));
    }
    if let Some(tag) = &filter.tag {
        parts.push(format!("on {tag}"));
    }
    if let Some(text) = &filter.text {
        parts.push(format!("matching “{text}”"));
    }
    parts.join(" · ")
}

/// Lays out the picture of the events `filter` selects.
pub fn timeline(data: &Dataset, filter: &TimelineFilter) -> Timeline {
    layout(data, filter, &query::timeline(data, filter))
}

/// Lays out `events`, which `filter` selected from `data`.
fn layout(data: &Dataset, filter: &TimelineFilter, events: &[&Event]) -> Timeline {
    let first = events.iter().map(|e| e.date.year()).min().unwrap_or(0);
    let last = events.iter().map(|e| e.date.year()).max().unwrap_or(0);
    let (tones, key) = topics(events);

    let mut texts = Vec::new();
    let mut y = PAD;
    let title = Text::fitted(
        "Musk v. Altman: the timeline",
        PAD,
        y,
        TITLE_SIZE,
        Tone::Strong,
        WIDTH - 2.0 * PAD,
    );
    y += title.bounds.h + 2.0;
    texts.push(title);
    let line = subtitle(data, filter, events.len(), (first, last));
    let line = Text::fitted(&line, PAD, y, TEXT_SIZE, Tone::Muted, WIDTH - 2.0 * PAD);
    y += line.bounds.h + 8.0;
    texts.push(line);

    let mut names: Vec<String> = PROTAGONISTS.iter().map(|id| lane_name(data, id)).collect();
    names.push("Others".to_string());
    let name_width = names
        .iter()
        .map(|n| Text::at(n, 0.0, 0.0, TEXT_SIZE, Tone::Strong).bounds.w)
        .fold(0.0, f32::max);
    let scale = Scale {
        first_year: first,
        years: last - first + 1,
        left: PAD + name_width + 14.0,
        right: WIDTH - PAD,
    };

    let aggregate = events.len() > AGGREGATE_OVER;
    let (items, mut marks, sub_rows) = if aggregate {
        counted(events, &tones, &scale)
    } else {
        one_by_one(events, &tones, &scale)
    };
    let labels = if aggregate {
        Vec::new()
    } else {
        label(events, &marks, &scale)
    };

    // Vertical placement now that the number of label rows is known.
    let rows_used = labels.iter().map(|l| l.1 + 1).max().unwrap_or(0);
    let row_height = Text::height(LABEL_SIZE) + ROW_GAP;
    let band_top = y;
    y += rows_used as f32 * row_height + if rows_used > 0 { 6.0 } else { 0.0 };
    let lanes_top = y;
    let lanes: Vec<Rect> = (0..names.len())
        .map(|lane| Rect {
            x: scale.left,
            y: lanes_top + lane as f32 * LANE_HEIGHT + 2.0,
            w: scale.right - scale.left,
            h: LANE_HEIGHT - 4.0,
        })
        .collect();
    for (lane, name) in names.iter().enumerate() {
        let middle = lanes_top + (lane as f32 + 0.5) * LANE_HEIGHT;
        texts.push(Text::at(
            name,
            PAD,
            middle - Text::height(TEXT_SIZE) / 2.0,
            TEXT_SIZE,
            Tone::Strong,
        ));
    }
    for (mark, sub_row) in marks.iter_mut().zip(&sub_rows) {
        let middle = lanes_top + (mark.lane as f32 + 0.5) * LANE_HEIGHT;
        mark.shape = match mark.shape {
            Shape::Bar { x0, x1, height, .. } => Shape::Bar {
                x0,
                x1,
                base: middle + LANE_HEIGHT / 2.0 - 4.0,
                height,
            },
            shape => shape.with_y(middle + SUB_ROWS[*sub_row]),
        };
    }
    let labels: Vec<Label> = labels
        .into_iter()
        .map(|(item, row, x, text, numbered)| {
            let top = band_top + (rows_used - 1 - row) as f32 * row_height;
            let anchor = marks
                .iter()
                .filter(|m| m.item == item)
                .map(|m| (m.shape.extent(), m.shape.top()))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|((a, b), top)| ((a + b) / 2.0, top))
                .unwrap_or((x, top));
            Label {
                item,
                text: Text::at(&text, x, top, LABEL_SIZE, Tone::Strong),
                numbered,
                anchor,
            }
        })
        .collect();
    y += names.len() as f32 * LANE_HEIGHT;

    let axis_y = y;
    let ticks: Vec<f32> = (0..=scale.years).map(|i| scale.x(first + i, 0.0)).collect();
    let year_width = (scale.right - scale.left) / scale.years.max(1) as f32;
    let widest = Text::at("2025", 0.0, 0.0, TEXT_SIZE, Tone::Muted).bounds.w + 6.0;
    let every = [1, 2, 5, 10, 20, 50]
        .into_iter()
        .find(|k| year_width * *k as f32 >= widest)
        .unwrap_or(100);
    if !events.is_empty() {
        for year in (first..=last).filter(|y| (y - first) % every == 0) {
            let mut text = Text::at(&year.to_string(), 0.0, y + 6.0, TEXT_SIZE, Tone::Muted);
            let middle = scale.x(year, 0.5);
            text.bounds.x = (middle - text.bounds.w / 2.0).clamp(PAD, WIDTH - PAD - text.bounds.w);
            texts.push(text);
        }
    }
    y += 6.0 + Text::height(TEXT_SIZE) + 12.0;

    let (swatches, key_shapes, after_key) = keys(&key, &mut texts, y);
    y = after_key;

    if let Items::Events(_) = &items {
        y = legend(events, &labels, &mut texts, y);
    } else if let Items::Counts(period, counts) = &items {
        let tallest = counts.iter().map(|c| c.2).max().unwrap_or(0);
        let per = match period {
            Period::Month => "month",
            Period::Year => "year",
        };
        let note = format!(
            "Too many events to draw one by one: bars count them per {per} (tallest: {tallest})."
        );
        let text = Text::fitted(&note, PAD, y, LABEL_SIZE, Tone::Muted, WIDTH - 2.0 * PAD);
        y += text.bounds.h + 4.0;
        texts.push(text);
    }

    Timeline {
        width: WIDTH,
        height: (y + PAD).ceil(),
        items,
        marks,
        labels,
        texts,
        lanes,
        axis: (axis_y, ticks),
        swatches,
        key_shapes,
    }
}

/// One mark per event and lane, each in the first sub-row of its lane where it does
/// not cover another. Returns the items, the marks (y still 0) and their sub-rows.
fn one_by_one(events: &[&Event], tones: &[Tone], scale: &Scale) -> (Items, Vec<Mark>, Vec<usize>) {
    let mut rows: Vec<Rows> = (0..=PROTAGONISTS.len())
        .map(|_| Rows::new(SUB_ROWS.len()))
        .collect();
    let mut marks = Vec::new();
    let mut sub_rows = Vec::new();
    for (item, (event, tone)) in events.iter().zip(tones).enumerate() {
        let shape = scale.shape(&event.date, 0.0);
        for lane in lanes_of(event) {
            let sub_row = rows[lane].take(shape.extent(), 1.0).unwrap_or(0);
            marks.push(Mark {
                item,
                lane,
                shape,
                tone: *tone,
            });
            sub_rows.push(sub_row);
        }
    }
    let ids = events.iter().map(|e| e.id.clone()).collect();
    (Items::Events(ids), marks, sub_rows)
}

/// Events counted per period and lane, as bars as tall as their count (the tallest
/// filling its lane), coloured by the period's commonest topic.
fn counted(events: &[&Event], tones: &[Tone], scale: &Scale) -> (Items, Vec<Mark>, Vec<usize>) {
    let pixels_per_month = (scale.right - scale.left) / (scale.years as f32 * 12.0);
    let period = if pixels_per_month >= 4.0 && events.iter().all(|e| e.date.month().is_some()) {
        Period::Month
    } else {
        Period::Year
    };
    let key = |date: &Date| match period {
        Period::Month => (date.year(), date.month()),
        Period::Year => (date.year(), None),
    };
    let mut periods: BTreeMap<(i32, Option<u32>), usize> = BTreeMap::new();
    // Per lane and period: how many events of each topic colour.
    let mut cells = Cells::new();
    for (event, tone) in events.iter().zip(tones) {
        let period_key = key(&event.date);
        *periods.entry(period_key).or_default() += 1;
        let Tone::Topic(colour) = tone else { continue };
        for lane in lanes_of(event) {
            *cells
                .entry((lane, period_key))
                .or_default()
                .entry(*colour)
                .or_default() += 1;
        }
    }
    let tallest = cells
        .values()
        .map(|c| c.values().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let index: HashMap<(i32, Option<u32>), usize> =
        periods.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut marks = Vec::new();
    for ((lane, (year, month)), colours) in &cells {
        let count: usize = colours.values().sum();
        let commonest = colours
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(colour, _)| *colour)
            .unwrap_or(TOPIC_COLOURS.len() - 1);
        let (x0, x1) = match month {
            Some(m) => (scale.day(*year, *m, 1), scale.month_end(*year, *m)),
            None => (scale.x(*year, 0.0), scale.x(*year + 1, 0.0)),
        };
        marks.push(Mark {
            item: index[&(*year, *month)],
            lane: *lane,
            shape: Shape::Bar {
                x0: x0 + 0.5,
                x1: x1 - 0.5,
                base: 0.0,
                height: (LANE_HEIGHT - 10.0) * count as f32 / tallest as f32,
            },
            tone: Tone::Topic(commonest),
        });
    }
    let sub_rows = vec![0; marks.len()];
    let counts = periods.into_iter().map(|((y, m), n)| (y, m, n)).collect();
    (Items::Counts(period, counts), marks, sub_rows)
}

/// Places each event's title above the lanes where it fits in one of the label rows,
/// else its number. Returns `(item, row, x, text, numbered)`.
fn label(
    events: &[&Event],
    marks: &[Mark],
    scale: &Scale,
) -> Vec<(usize, usize, f32, String, bool)> {
    let (min, max) = (PAD, WIDTH - PAD);
    let mut rows = Rows::new(LABEL_ROWS);
    let mut placed = Vec::new();
    let mut number = 0;
    for (item, event) in events.iter().enumerate() {
        let Some(mark) = marks.iter().find(|m| m.item == item) else {
            continue;
        };
        let (a, b) = mark.shape.extent();
        let middle = ((a + b) / 2.0).clamp(scale.left, scale.right);
        let title = Text::at(&event.title, 0.0, 0.0, LABEL_SIZE, Tone::Strong);
        let w = title.bounds.w;
        let fits = |x: f32| x >= min && x + w <= max;
        let title_place = [middle - 4.0, middle - w + 4.0]
            .into_iter()
            .filter(|x| fits(*x))
            .find_map(|x| rows.take((x, x + w), 8.0).map(|row| (row, x)));
        if let Some((row, x)) = title_place {
            placed.push((item, row, x, title.text, false));
            continue;
        }
        number += 1;
        let text = number.to_string();
        let w = Text::at(&text, 0.0, 0.0, LABEL_SIZE, Tone::Strong).bounds.w;
        let step = w + 6.0;
        let number_place = [0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 4.0, -4.0]
            .into_iter()
            .map(|k| middle - w / 2.0 + k * step)
            .filter(|x| *x >= min && x + w <= max)
            .find_map(|x| rows.take((x, x + w), 4.0).map(|row| (row, x)));
        if let Some((row, x)) = number_place {
            placed.push((item, row, x, text, true));
        }
    }
    placed
}

/// The topic key (a swatch per colour) and the precision key (each shape with what it
/// means), flowing across lines. Returns the swatches, the key shapes and the y below.
fn keys(
    key: &[(String, Tone)],
    texts: &mut Vec<Text>,
    top: f32,
) -> (Vec<(Rect, Tone)>, Vec<Shape>, f32) {
    let line = Text::height(LABEL_SIZE) + 4.0;
    let mut swatches = Vec::new();
    let (mut x, mut y) = (PAD, top);
    for (name, tone) in key {
        let text = Text::at(name, 0.0, 0.0, LABEL_SIZE, Tone::Strong);
        let width = 12.0 + 5.0 + text.bounds.w;
        if x + width > WIDTH - PAD && x > PAD {
            x = PAD;
            y += line;
        }
        let middle = y + Text::height(LABEL_SIZE) / 2.0;
        swatches.push((
            Rect {
                x,
                y: middle - 6.0,
                w: 12.0,
                h: 12.0,
            },
            *tone,
        ));
        texts.push(Text::at(name, x + 17.0, y, LABEL_SIZE, Tone::Strong));
        x += width + 14.0;
    }
    if !key.is_empty() {
        y += line;
    }
    let mut shapes = Vec::new();
    x = PAD;
    let middle = y + Text::height(LABEL_SIZE) / 2.0;
    for (meaning, shape) in [
        ("day", Shape::Point { x: 0.0, y: middle }),
        (
            "month",
            Shape::Span {
                x0: 0.0,
                x1: 12.0,
                y: middle,
            },
        ),
        (
            "year",
            Shape::Bracket {
                x0: 0.0,
                x1: 26.0,
                y: middle,
            },
        ),
        (
            "by then, at the latest",
            Shape::Bound {
                x: BOUND_TAIL,
                y: middle,
            },
        ),
    ] {
        let (a, b) = shape.extent();
        let dx = x - a;
        shapes.push(match shape {
            Shape::Point { y, .. } => Shape::Point {
                x: x + POINT_RADIUS,
                y,
            },
            Shape::Span { y, .. } => Shape::Span {
                x0: x,
                x1: x + (b - a),
                y,
            },
            Shape::Bracket { y, .. } => Shape::Bracket {
                x0: x,
                x1: x + (b - a),
                y,
            },
            Shape::Bound { x: end, y } => Shape::Bound { x: end + dx, y },
            bar => bar,
        });
        let text = Text::at(meaning, x + (b - a) + 6.0, y, LABEL_SIZE, Tone::Muted);
        x = text.bounds.x + text.bounds.w + 16.0;
        texts.push(text);
    }
    (swatches, shapes, y + line + 6.0)
}

/// One line per numbered label: its number, date and title.
fn legend(events: &[&Event], labels: &[Label], texts: &mut Vec<Text>, top: f32) -> f32 {
    let mut y = top;
    let numbered: Vec<&Label> = labels.iter().filter(|l| l.numbered).collect();
    for label in numbered.iter().take(LEGEND_MAX) {
        let event = events[label.item];
        let line = format!(
            "{}. {}: {}",
            label.text.text,
            event.date.human(),
            event.title
        );
        let text = Text::fitted(&line, PAD, y, LABEL_SIZE, Tone::Strong, WIDTH - 2.0 * PAD);
        y += text.bounds.h + 2.0;
        texts.push(text);
    }
    if numbered.len() > LEGEND_MAX {
        let more = format!("… and {} more: see the list.", numbered.len() - LEGEND_MAX);
        let text = Text::at(&more, PAD, y, LABEL_SIZE, Tone::Muted);
        y += text.bounds.h + 2.0;
        texts.push(text);
    }
    y
}

impl Timeline {
    /// Every text on the picture: labels and the rest.
    pub fn all_texts(&self) -> impl Iterator<Item = &Text> {
        self.labels.iter().map(|l| &l.text).chain(&self.texts)
    }

    /// The picture as a PNG.
    pub fn png(&self, theme: Theme) -> Result<Vec<u8>, PictureError> {
        let mut canvas = Canvas::new(self.width, self.height, theme)?;
        for lane in &self.lanes {
            canvas.rect(*lane, 4.0, theme.faint());
        }
        let (axis_y, ticks) = &self.axis;
        if let (Some(first), Some(last)) = (ticks.first(), ticks.last()) {
            let muted = theme.colour(Tone::Muted);
            canvas.line((*first, *axis_y), (*last, *axis_y), 1.5, muted, false);
            for x in ticks {
                canvas.line((*x, *axis_y), (*x, *axis_y + 5.0), 1.5, muted, false);
            }
        }
        for label in &self.labels {
            let b = label.text.bounds;
            let x = label.anchor.0.clamp(b.x, b.x + b.w);
            canvas.line(
                (x, b.y + b.h),
                label.anchor,
                1.0,
                theme.colour(Tone::Muted),
                false,
            );
        }
        for mark in &self.marks {
            draw_shape(&mut canvas, &mark.shape, theme.colour(mark.tone));
        }
        for shape in &self.key_shapes {
            draw_shape(&mut canvas, shape, theme.colour(Tone::Strong));
        }
        for (rect, tone) in &self.swatches {
            canvas.rect(*rect, 3.0, theme.colour(*tone));
        }
        for label in &self.labels {
            // Joining lines from higher rows pass behind lower labels, not through them.
            canvas.rect(label.text.bounds, 2.0, theme.background());
        }
        for text in self.all_texts() {
            canvas.text(text);
        }
        canvas.png()
    }
}

fn draw_shape(canvas: &mut Canvas, shape: &Shape, colour: Colour) {
    match *shape {
        Shape::Point { x, y } => canvas.circle((x, y), POINT_RADIUS, colour),
        Shape::Span { x0, x1, y } => canvas.rect(
            Rect {
                x: x0,
                y: y - 4.0,
                w: x1 - x0,
                h: 8.0,
            },
            3.0,
            colour,
        ),
        Shape::Bracket { x0, x1, y } => {
            canvas.line((x0, y - 6.0), (x0, y + 6.0), 2.5, colour, false);
            canvas.line((x0, y), (x1, y), 2.5, colour, false);
            canvas.line((x1, y - 6.0), (x1, y + 6.0), 2.5, colour, false);
        }
        Shape::Bound { x, y } => {
            canvas.line((x - BOUND_TAIL, y), (x, y), 2.5, colour, true);
            canvas.line((x, y - 6.0), (x, y + 6.0), 3.0, colour, false);
        }
        Shape::Bar {
            x0,
            x1,
            base,
            height,
        } => canvas.rect(
            Rect {
                x: x0,
                y: base - height,
                w: (x1 - x0).max(1.0),
                h: height.max(1.0),
            },
            1.0,
            colour,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picture::tests::decode;

    fn shipped() -> Dataset {
        Dataset::shipped().expect("the shipped dataset is valid")
    }

    /// Labels and texts all on the canvas, none over another.
    fn assert_readable(scene: &Timeline) {
        let texts: Vec<&Text> = scene.all_texts().collect();
        for text in &texts {
            assert!(
                text.bounds.inside(scene.width, scene.height),
                "{:?} is off the {}×{} canvas",
                text,
                scene.width,
                scene.height
            );
        }
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert!(!a.bounds.overlaps(&b.bounds), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn the_whole_story_draws_every_event_in_order_each_labelled() {
        let data = shipped();
        let scene = timeline(&data, &TimelineFilter::default());
        let ids: Vec<String> = data.events().iter().map(|e| e.id.clone()).collect();
        assert_eq!(scene.items, Items::Events(ids.clone()));
        for (item, id) in ids.iter().enumerate() {
            assert!(
                scene.marks.iter().any(|m| m.item == item),
                "{id} has no mark"
            );
            assert_eq!(
                scene.labels.iter().filter(|l| l.item == item).count(),
                1,
                "{id} has no label"
            );
        }
        assert!(scene.labels.iter().any(|l| !l.numbered), "some titles fit");
        assert_readable(&scene);
        let numbers: Vec<&str> = scene
            .labels
            .iter()
            .filter(|l| l.numbered)
            .map(|l| l.text.text.as_str())
            .collect();
        for number in numbers {
            let entry = format!("{number}. ");
            assert!(
                scene.texts.iter().any(|t| t.text.starts_with(&entry)),
                "number {number} is explained in the legend"
            );
        }
    }

    #[test]
    fn a_filter_draws_exactly_the_events_it_selects() {
        let data = shipped();
        let filter = TimelineFilter {
            tag: Some("stargate".into()),
            ..TimelineFilter::default()
        };
        let scene = timeline(&data, &filter);
        let selected: Vec<String> = query::timeline(&data, &filter)
            .iter()
            .map(|e| e.id.clone())
            .collect();
        assert!(!selected.is_empty());
        assert_eq!(scene.items, Items::Events(selected));
        assert!(scene.texts.iter().any(|t| t.text.contains("on stargate")));
        assert_readable(&scene);
    }

    #[test]
    fn each_precision_has_its_shape_on_the_lanes_of_its_people() {
        let data = shipped();
        let scene = timeline(&data, &TimelineFilter::default());
        let mut seen = [false; 4];
        for mark in &scene.marks {
            let event = &data.events()[mark.item];
            let date = event.date;
            let expected = match (date.is_bound(), date.month(), date.day()) {
                (true, _, _) => 3,
                (false, Some(_), Some(_)) => 0,
                (false, Some(_), None) => 1,
                (false, None, _) => 2,
            };
            let shape = match mark.shape {
                Shape::Point { .. } => 0,
                Shape::Span { .. } => 1,
                Shape::Bracket { .. } => 2,
                Shape::Bound { .. } => 3,
                Shape::Bar { .. } => 4,
            };
            assert_eq!(shape, expected, "{} ({date})", event.id);
            seen[shape] = true;
            assert!(
                lanes_of(event).contains(&mark.lane),
                "{} is on lane {}",
                event.id,
                mark.lane
            );
        }
        assert_eq!(seen, [true; 4], "the story has dates of every kind");
        let musk = data.events().iter().position(|e| e.people == ["musk"]);
        if let Some(item) = musk {
            let lanes: Vec<usize> = scene
                .marks
                .iter()
                .filter(|m| m.item == item)
                .map(|m| m.lane)
                .collect();
            assert_eq!(lanes, [0]);
        }
    }

    #[test]
    fn a_year_bracket_spans_its_year_and_a_day_sits_inside_its_year() {
        let data = shipped();
        let scene = timeline(&data, &TimelineFilter::default());
        let ticks = &scene.axis.1;
        let first = data
            .events()
            .iter()
            .map(|e| e.date.year())
            .min()
            .unwrap_or(0);
        for mark in &scene.marks {
            let year = (data.events()[mark.item].date.year() - first) as usize;
            let (start, end) = (ticks[year], ticks[year + 1]);
            match mark.shape {
                Shape::Bracket { x0, x1, .. } => {
                    assert!(x0 >= start && x1 <= end && x1 - x0 > (end - start) * 0.9)
                }
                Shape::Point { x, .. } => assert!(x > start && x < end),
                Shape::Span { x0, x1, .. } => assert!(x1 - x0 < (end - start) / 3.0),
                _ => {}
            }
        }
    }

    #[test]
    fn the_last_day_of_a_month_sits_at_its_end() {
        let scale = Scale {
            first_year: 2022,
            years: 1,
            left: 0.0,
            right: 365.0,
        };
        let date: Date = "2022-11-30".parse().expect("a date");
        let Shape::Point { x, .. } = scale.shape(&date, 0.0) else {
            panic!("a day is a point");
        };
        assert!((x - 333.5).abs() < 0.01, "{x}");
        let month: Date = "2022-12".parse().expect("a month");
        let Shape::Span { x0, x1, .. } = scale.shape(&month, 0.0) else {
            panic!("a month is a span");
        };
        assert_eq!((x0, x1), (334.0, 365.0));
    }

    #[test]
    fn a_hundred_thousand_events_are_counted_per_period() {
        let data = shipped();
        let template = &data.events()[0];
        let events: Vec<Event> = (0..100_000u32)
            .map(|n| {
                let mut event = template.clone();
                let year = 2000 + (n % 26) as i32;
                event.date = match n % 10 {
                    0 => year.to_string().parse().expect("a year"),
                    1 | 2 => format!("{year}-{:02}", n % 12 + 1)
                        .parse()
                        .expect("a month"),
                    _ => format!("{year}-{:02}-{:02}", n % 12 + 1, n % 28 + 1)
                        .parse()
                        .expect("a day"),
                };
                event.people = match n % 3 {
                    0 => vec!["musk".into()],
                    1 => vec!["altman".into(), "openai".into()],
                    _ => vec!["trump".into()],
                };
                event.tags = vec![format!("topic-{}", n % 11)];
                event
            })
            .collect();
        let selected: Vec<&Event> = events.iter().collect();
        let scene = layout(&data, &TimelineFilter::default(), &selected);
        let Items::Counts(period, counts) = &scene.items else {
            panic!("not aggregated: {:?}", scene.items);
        };
        assert_eq!(*period, Period::Year);
        assert_eq!(counts.len(), 26);
        assert_eq!(counts.iter().map(|c| c.2).sum::<usize>(), 100_000);
        assert!(scene.marks.len() <= 3 * 26);
        assert!(scene.labels.is_empty());
        assert_readable(&scene);
        let png = scene.png(Theme::Dark).expect("it draws");
        let (width, _, pixels) = decode(&png);
        assert_eq!(width, WIDTH as u32);
        assert!(pixels.len() > 1000);
    }

    #[test]
    fn the_png_is_the_scene_drawn_in_either_theme() {
        let data = shipped();
        let scene = timeline(&data, &TimelineFilter::default());
        let dark = scene.png(Theme::Dark).expect("it draws");
        let light = scene.png(Theme::Light).expect("it draws");
        assert_ne!(dark, light);
        for png in [dark, light] {
            let (width, height, pixels) = decode(&png);
            assert_eq!((width, height), (scene.width as u32, scene.height as u32));
            let colours: std::collections::HashSet<&[u8]> = pixels.chunks(4).collect();
            assert!(colours.len() > 50, "{} colours", colours.len());
            assert!(png.len() < 300_000, "{} bytes", png.len());
        }
    }

    #[test]
    fn no_match_draws_an_empty_timeline_that_says_so() {
        let data = shipped();
        let filter = TimelineFilter {
            years: Some((1990, 1991)),
            ..TimelineFilter::default()
        };
        let scene = timeline(&data, &filter);
        assert_eq!(scene.items, Items::Events(Vec::new()));
        assert!(scene.marks.is_empty());
        assert!(scene.texts.iter().any(|t| t.text.starts_with("0 events")));
        assert!(scene.png(Theme::Light).is_ok());
    }
}
