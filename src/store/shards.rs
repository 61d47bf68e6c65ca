//! Which servers a process runs. Discord splits a bot's servers into shards, server `g`
//! on shard `(g >> 22) % count`, and each gateway connection serves one shard; a fleet
//! runs several processes, each with a range of shards (`SHARDS=0-1` of
//! `SHARD_COUNT=4`). A process recovers, and posts daily for, only its own servers; DMs
//! count as server 0, on shard 0, where Discord sends them.

use std::fmt;
use std::str::FromStr;

/// Shards `first..=last` of `count`: the servers one process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shards {
    /// How many shards the bot has in all.
    pub count: u32,
    /// The first of this process's shards.
    pub first: u32,
    /// The last of this process's shards (inclusive).
    pub last: u32,
}

impl Shards {
    /// Every shard of `count` (at least 1).
    pub fn all(count: u32) -> Shards {
        let count = count.max(1);
        Shards {
            count,
            first: 0,
            last: count - 1,
        }
    }

    /// The shard of `guild_id` (0 for a DM) among `count`.
    pub fn of(guild_id: u64, count: u32) -> u32 {
        // The remainder is below `count`, a u32.
        ((guild_id >> 22) % u64::from(count.max(1))) as u32
    }

    /// Whether `guild_id`'s shard is one of these.
    pub fn owns(&self, guild_id: u64) -> bool {
        (self.first..=self.last).contains(&Shards::of(guild_id, self.count))
    }

    /// Whether these are all the bot's shards.
    pub fn is_all(&self) -> bool {
        self.first == 0 && self.last + 1 == self.count
    }

    /// The shard numbers.
    pub fn range(&self) -> std::ops::RangeInclusive<u32> {
        self.first..=self.last
    }
}

impl fmt::Display for Shards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "shard {} of {}", self.first, self.count)
        } else {
            write!(f, "shards {}-{} of {}", self.first, self.last, self.count)
        }
    }
}

/// A `SHARDS` setting: one shard (`2`) or a range (`0-3`), before the count is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
}

impl ShardRange {
    /// These shards among `count`, or why they do not fit.
    pub fn of(self, count: u32) -> Result<Shards, String> {
        if self.last >= count {
            return Err(format!(
                "SHARDS={}-{} does not fit SHARD_COUNT={count}: shards are numbered 0 to {}",
                self.first,
                self.last,
                count.saturating_sub(1)
            ));
        }
        Ok(Shards {
            count,
            first: self.first,
            last: self.last,
        })
    }
}

impl FromStr for ShardRange {
    type Err = String;

    fn from_str(text: &str) -> Result<ShardRange, String> {
        let bad = || {
            format!(
                "`{text}` is not a shard range: write one shard (`2`) or a range, first and \
                 last included (`0-3`) (SHARDS)"
            )
        };
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| bad());
        let (first, last) = match text.split_once('-') {
            Some((first, last)) => (number(first)?, number(last)?),
            None => {
                let only = number(text)?;
                (only, only)
            }
        };
        if first > last {
            return Err(bad());
        }
        Ok(ShardRange { first, last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_fall_on_shards_as_discord_assigns_them() {
        // Discord's formula: (guild_id >> 22) % count.
        let guild = 197_038_439_483_310_086_u64;
        assert_eq!(guild >> 22, 46_977_624_770);
        assert_eq!(Shards::of(guild, 1), 0);
        assert_eq!(Shards::of(guild, 4), 2);
        assert_eq!(Shards::of(0, 4), 0, "DMs are on shard 0");
        let half = Shards {
            count: 4,
            first: 0,
            last: 1,
        };
        let owned: Vec<u64> = (0..8u64).filter(|n| half.owns(n << 22)).collect();
        assert_eq!(owned, [0, 1, 4, 5]);
        assert!(Shards::all(4).is_all() && !half.is_all());
        assert_eq!(half.to_string(), "shards 0-1 of 4");
        assert_eq!(half.range(), 0..=1);
    }

    #[test]
    fn a_range_is_read_and_checked_against_the_count() {
        assert_eq!("0-3".parse(), Ok(ShardRange { first: 0, last: 3 }));
        assert_eq!(" 2 ".parse(), Ok(ShardRange { first: 2, last: 2 }));
        assert!("3-1".parse::<ShardRange>().is_err());
        assert!("a-b".parse::<ShardRange>().is_err());
        let range: ShardRange = "2-3".parse().unwrap();
        assert_eq!(range.of(4).unwrap().to_string(), "shards 2-3 of 4");
        assert_eq!(
            range.of(3).unwrap_err(),
            "SHARDS=2-3 does not fit SHARD_COUNT=3: shards are numbered 0 to 2"
        );
    }
}
