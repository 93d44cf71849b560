//! Hybrid logical clock stamps for last-writer-wins, from `uhlc`, encoded as strings whose
//! byte order is the clock order (16 hex digits of NTP64 time, then the node id).

use std::str::FromStr;
use std::time::Duration;

use uhlc::{HLCBuilder, Timestamp, HLC, ID, NTP64};

/// Remote or persisted stamps further ahead than this are refused rather than dragging the
/// clock into the future (a device whose clock is a year off).
const MAX_DRIFT: Duration = Duration::from_secs(24 * 3600);

/// The device's hybrid logical clock.
///
/// Its physical part is the system clock (uhlc reads it; the store's `Clock` only decides what
/// "now" means for the person's records). A persisted floor keeps stamps increasing across
/// restarts even when the phone's clock was set back by more than the drift `uhlc` accepts.
pub struct HlcClock {
    hlc: HLC,
    /// The time part of the last stamp issued or restored; every new stamp is above it.
    floor: std::sync::Mutex<u64>,
}

impl HlcClock {
    /// A clock for the node `node_id` (the device id's 16 bytes).
    pub fn new(node_id: [u8; 16]) -> HlcClock {
        let id = ID::try_from(node_id).unwrap_or_else(|_| ID::rand());
        HlcClock { hlc: HLCBuilder::new().with_id(id).with_max_delta(MAX_DRIFT).build(), floor: std::sync::Mutex::new(0) }
    }

    /// A new stamp, greater than every stamp this clock issued, restored or observed.
    pub fn stamp(&self) -> String {
        let ts = self.hlc.new_timestamp();
        let mut floor = self.floor.lock().unwrap_or_else(|e| e.into_inner());
        let time = ts.get_time().as_u64().max(*floor + 1);
        *floor = time;
        encode(&Timestamp::new(NTP64(time), *ts.get_id()))
    }

    /// Never issue a stamp at or below this one again (our own last stamp before a restart),
    /// however far behind the system clock is. Returns false when the stamp is unreadable.
    pub fn restore(&self, stamp: &str) -> bool {
        let Some(ts) = decode(stamp) else { return false };
        let mut floor = self.floor.lock().unwrap_or_else(|e| e.into_inner());
        *floor = (*floor).max(ts.get_time().as_u64());
        true
    }

    /// Moves the clock past a stamp seen elsewhere (a remote change). Returns false when the
    /// stamp is unreadable or further ahead than the accepted drift.
    pub fn observe(&self, stamp: &str) -> bool {
        decode(stamp).is_some_and(|ts| self.hlc.update_with_timestamp(&ts).is_ok())
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
        let c = HlcClock::new([7; 16]);
        let a = c.stamp();
        let b = c.stamp();
        assert!(b > a, "{b} > {a}");
        assert!(decode(&a).is_some());
    }

    #[test]
    fn observing_a_later_stamp_moves_the_clock_past_it() {
        let ahead = HlcClock::new([1; 16]);
        let behind = HlcClock::new([2; 16]);
        // Simulate a stamp 10 minutes ahead of this machine's clock.
        let now = decode(&ahead.stamp()).unwrap();
        let later = Timestamp::new(NTP64(now.get_time().as_u64() + (600u64 << 32)), *now.get_id());
        assert!(behind.observe(&encode(&later)));
        assert!(behind.stamp() > encode(&later));
        assert!(!behind.observe("garbage"));
    }

    #[test]
    fn a_restored_stamp_far_ahead_is_still_a_floor() {
        let c = HlcClock::new([3; 16]);
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
