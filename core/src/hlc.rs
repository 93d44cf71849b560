//! Hybrid logical clock stamps for last-writer-wins, from `uhlc`, encoded as strings whose
//! byte order is the clock order (16 hex digits of NTP64 time, then the node id).

use std::str::FromStr;
use std::time::Duration;

use uhlc::{HLCBuilder, Timestamp, HLC, ID, NTP64};

/// Remote or persisted stamps further ahead than this are refused rather than dragging the
/// clock into the future (a device whose clock is a year off).
const MAX_DRIFT: Duration = Duration::from_secs(24 * 3600);

/// The device's hybrid logical clock.
pub struct HlcClock(HLC);

impl HlcClock {
    /// A clock for the node `node_id` (the device id's 16 bytes).
    pub fn new(node_id: [u8; 16]) -> HlcClock {
        let id = ID::try_from(node_id).unwrap_or_else(|_| ID::rand());
        HlcClock(HLCBuilder::new().with_id(id).with_max_delta(MAX_DRIFT).build())
    }

    /// A new stamp, greater than every stamp this clock issued or observed.
    pub fn stamp(&self) -> String {
        encode(&self.0.new_timestamp())
    }

    /// Moves the clock past a stamp seen elsewhere (a remote change, or our own last stamp
    /// from before a restart). Returns false when the stamp is unreadable or too far ahead.
    pub fn observe(&self, stamp: &str) -> bool {
        decode(stamp).is_some_and(|ts| self.0.update_with_timestamp(&ts).is_ok())
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
}
