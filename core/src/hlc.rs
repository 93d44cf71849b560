//! Hybrid logical clock stamps for last-writer-wins, from `uhlc`, encoded as strings whose
//! byte order is the clock order (16 hex digits of NTP64 time, then the node id).

use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use uhlc::{Timestamp, ID, NTP64};

use crate::clock::Clock;

/// Remote or persisted stamps further ahead than this are refused rather than dragging the
/// clock into the future (a device whose clock is a year off).
const MAX_DRIFT: Duration = Duration::from_secs(24 * 3600);

/// The device's hybrid logical clock.
///
/// Its physical part is the store's [`Clock`] (the system clock in the apps; tests give devices
/// clocks that disagree). A stamp is the greater of the physical time and one above the last
/// stamp issued, restored or observed, so stamps always increase, and a change made after seeing
/// another is ordered after it whatever the clocks say. A persisted floor keeps stamps
/// increasing across restarts even when the phone's clock was set back. The encoding (`uhlc`'s
/// NTP64 time and node id) sorts as the clock does.
pub struct HlcClock {
    id: ID,
    clock: Arc<dyn Clock>,
    /// The time part of the last stamp issued, restored or observed; every new stamp is above it.
    floor: Mutex<u64>,
}

impl HlcClock {
    /// A clock for the node `node_id` (the device id's 16 bytes) over the physical `clock`.
    pub fn new(node_id: [u8; 16], clock: Arc<dyn Clock>) -> HlcClock {
        let id = ID::try_from(node_id).unwrap_or_else(|_| ID::rand());
        HlcClock { id, clock, floor: Mutex::new(0) }
    }

    fn physical(&self) -> u64 {
        let now = self.clock.now();
        let nanos = now.timestamp_nanos_opt().unwrap_or(0).max(0) as u64;
        NTP64::from(Duration::from_nanos(nanos)).as_u64()
    }

    /// A new stamp, greater than every stamp this clock issued, restored or observed.
    pub fn stamp(&self) -> String {
        let physical = self.physical();
        let mut floor = self.floor.lock().unwrap_or_else(|e| e.into_inner());
        let time = physical.max(*floor + 1);
        *floor = time;
        encode(&Timestamp::new(NTP64(time), self.id))
    }

    /// Never issue a stamp at or below this one again (our own last stamp before a restart),
    /// however far behind the clock is. Returns false when the stamp is unreadable.
    pub fn restore(&self, stamp: &str) -> bool {
        let Some(ts) = decode(stamp) else { return false };
        let mut floor = self.floor.lock().unwrap_or_else(|e| e.into_inner());
        *floor = (*floor).max(ts.get_time().as_u64());
        true
    }

    /// Moves the clock past a stamp seen elsewhere (a remote change). Returns false when the
    /// stamp is unreadable or further ahead of this clock than the accepted drift.
    pub fn observe(&self, stamp: &str) -> bool {
        let Some(ts) = decode(stamp) else { return false };
        let time = ts.get_time().as_u64();
        if time > self.physical().saturating_add(NTP64::from(MAX_DRIFT).as_u64()) {
            return false;
        }
        let mut floor = self.floor.lock().unwrap_or_else(|e| e.into_inner());
        *floor = (*floor).max(time);
        true
    }
}

fn encode(ts: &Timestamp) -> String {
    format!("{:016x}-{}", ts.get_time().as_u64(), ts.get_id())
}

fn decode(s: &str) -> Option<Timestamp> {
    let (time, id) = s.split_once('-')?;
    let time = u64::from_str_radix(time, 16).ok()?;
    Some(Timestamp::new(NTP64(time), ID::from_str(id).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_increase_and_sort_as_strings() {
        let c = HlcClock::new([7; 16], Arc::new(crate::clock::SystemClock));
        let a = c.stamp();
        let b = c.stamp();
        assert!(b > a, "{b} > {a}");
        assert!(decode(&a).is_some());
    }

    #[test]
    fn observing_a_later_stamp_moves_the_clock_past_it() {
        let ahead = HlcClock::new([1; 16], Arc::new(crate::clock::SystemClock));
        let behind = HlcClock::new([2; 16], Arc::new(crate::clock::SystemClock));
        // Simulate a stamp 10 minutes ahead of this machine's clock.
        let now = decode(&ahead.stamp()).unwrap();
        let later = Timestamp::new(NTP64(now.get_time().as_u64() + (600u64 << 32)), *now.get_id());
        assert!(behind.observe(&encode(&later)));
        assert!(behind.stamp() > encode(&later));
        assert!(!behind.observe("garbage"));
    }

    #[test]
    fn a_restored_stamp_far_ahead_is_still_a_floor() {
        let c = HlcClock::new([3; 16], Arc::new(crate::clock::SystemClock));
        let now = decode(&c.stamp()).unwrap();
        // Our own last stamp from before a restart, two days ahead (the clock was set back).
        let ahead = encode(&Timestamp::new(NTP64(now.get_time().as_u64() + ((2 * 86_400u64) << 32)), *now.get_id()));
        assert!(!c.observe(&ahead), "too far ahead for a remote stamp");
        assert!(c.restore(&ahead));
        let next = c.stamp();
        assert!(next > ahead, "{next} > {ahead}");
        assert!(c.stamp() > next);
    }
}
