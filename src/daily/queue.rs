//! The scheduler's queue: every server's next post instant, earliest first, so the
//! timer task sleeps until [`DailyQueue::next_wake`] with one timer, however many servers
//! there are, instead of polling them.
//!
//! A binary heap of (instant, server) orders the posts; a map from server to its
//! current instant lets a server be moved or removed without searching the heap.
//! Moved or removed servers leave stale heap entries behind, which are skipped when
//! they reach the top and swept out when they outnumber the live ones.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use chrono::{DateTime, Utc};

/// A change to the queue that a `/daily` command calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueChange {
    /// The server's next post is now at `at`.
    Set { guild_id: u64, at: DateTime<Utc> },
    /// The server no longer posts.
    Remove { guild_id: u64 },
}

/// Servers' next post instants, earliest first. Instants are kept to the second.
#[derive(Debug, Default)]
pub struct DailyQueue {
    heap: BinaryHeap<Reverse<(i64, u64)>>,
    due: HashMap<u64, i64>,
}

impl DailyQueue {
    /// An empty queue.
    pub fn new() -> DailyQueue {
        DailyQueue::default()
    }

    /// An empty queue with room for `servers` servers.
    pub fn with_capacity(servers: usize) -> DailyQueue {
        DailyQueue {
            heap: BinaryHeap::with_capacity(servers),
            due: HashMap::with_capacity(servers),
        }
    }

    /// Sets `guild_id`'s next post to `at`, whether or not it was queued before.
    pub fn insert(&mut self, guild_id: u64, at: DateTime<Utc>) {
        let at = at.timestamp();
        if self.due.insert(guild_id, at) == Some(at) {
            return;
        }
        self.heap.push(Reverse((at, guild_id)));
        self.tidy();
    }

    /// Applies what a `/daily` command changed.
    pub fn apply(&mut self, change: QueueChange) {
        match change {
            QueueChange::Set { guild_id, at } => self.insert(guild_id, at),
            QueueChange::Remove { guild_id } => {
                self.remove(guild_id);
            }
        }
    }

    /// Takes `guild_id` out of the queue; whether it was in it.
    pub fn remove(&mut self, guild_id: u64) -> bool {
        let removed = self.due.remove(&guild_id).is_some();
        self.tidy();
        removed
    }

    /// When the earliest post is due; `None` when no server is queued.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        let Reverse((at, _)) = self.heap.peek()?;
        DateTime::from_timestamp(*at, 0)
    }

    /// When `guild_id`'s next post is due, if it is queued.
    pub fn due_at(&self, guild_id: u64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(*self.due.get(&guild_id)?, 0)
    }

    /// Takes out and returns every server whose post is due at `now` or earlier,
    /// earliest first. The core queues each again once it has handled its post.
    pub fn due(&mut self, now: DateTime<Utc>) -> Vec<u64> {
        let now = now.timestamp();
        let mut due = Vec::new();
        while let Some(Reverse((at, guild_id))) = self.heap.peek().copied() {
            if at > now {
                break;
            }
            self.heap.pop();
            if self.due.get(&guild_id) == Some(&at) {
                self.due.remove(&guild_id);
                due.push(guild_id);
            }
        }
        self.tidy();
        due
    }

    /// How many servers are queued.
    pub fn len(&self) -> usize {
        self.due.len()
    }

    /// Whether no server is queued.
    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    /// Restores the invariants: the top of the heap is live, and stale entries are at
    /// most as many as live ones (plus a little slack).
    fn tidy(&mut self) {
        if self.heap.len() > 2 * self.due.len() + 64 {
            self.heap = self
                .due
                .iter()
                .map(|(&guild_id, &at)| Reverse((at, guild_id)))
                .collect();
            return;
        }
        while let Some(Reverse((at, guild_id))) = self.heap.peek() {
            if self.due.get(guild_id) == Some(at) {
                break;
            }
            self.heap.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn t(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000, 0).unwrap() + TimeDelta::minutes(minutes)
    }

    #[test]
    fn wakes_for_the_earliest_and_hands_out_everything_due() {
        let mut queue = DailyQueue::new();
        assert_eq!(queue.next_wake(), None);
        queue.insert(1, t(30));
        queue.insert(2, t(10));
        queue.insert(3, t(20));
        queue.insert(4, t(10));
        assert_eq!(queue.next_wake(), Some(t(10)));
        assert_eq!(queue.due(t(9)), Vec::<u64>::new());
        assert_eq!(queue.due(t(20)), [2, 4, 3]);
        assert_eq!(queue.len(), 1);
        assert_eq!(queue.next_wake(), Some(t(30)));
        assert_eq!(queue.due(t(100)), [1]);
        assert!(queue.is_empty());
        assert_eq!(queue.next_wake(), None);
    }

    #[test]
    fn moving_and_removing_a_server_leaves_no_ghost() {
        let mut queue = DailyQueue::new();
        queue.insert(1, t(10));
        queue.insert(2, t(20));
        queue.insert(1, t(30));
        assert_eq!(queue.next_wake(), Some(t(20)), "1's old time is gone");
        assert_eq!(queue.due_at(1), Some(t(30)));
        assert!(queue.remove(2));
        assert!(!queue.remove(2));
        assert_eq!(queue.next_wake(), Some(t(30)));
        // Back and forth to the same instant: still handed out once.
        queue.insert(1, t(40));
        queue.insert(1, t(30));
        assert_eq!(queue.due(t(50)), [1]);
        assert_eq!(queue.due(t(50)), Vec::<u64>::new());
    }

    #[test]
    fn stale_entries_are_swept_out() {
        let mut queue = DailyQueue::new();
        for round in 0..1000 {
            for guild in 0..10 {
                queue.insert(guild, t(round * 10 + guild as i64));
            }
        }
        assert_eq!(queue.len(), 10);
        assert!(queue.heap.len() <= 2 * 10 + 64, "{}", queue.heap.len());
        assert_eq!(queue.next_wake(), Some(t(9990)));
        assert_eq!(queue.due(t(100_000)), (0..10).collect::<Vec<u64>>());
    }
}
