//! A device's hybrid logical clock as the wire expects it: `<16 lowercase hex digits of NTP64
//! time>-<node id in lowercase hex, no leading zero>`, strictly increasing per device, moved
//! past every stamp the device observes. Byte order of the strings is clock order.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// NTP64 time (seconds since the Unix epoch in the high 32 bits, fraction below) of Unix
/// milliseconds, as `uhlc` and the server read it.
pub fn ntp64_of_millis(ms: i64) -> u64 {
    let ms = ms.max(0) as u64;
    let frac = ((ms % 1000) << 32) / 1000;
    ((ms / 1000) << 32) | frac
}

/// Unix milliseconds now.
pub fn now_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_millis() as i64
}

/// The time part of a stamp, if it is one.
pub fn stamp_time(hlc: &str) -> Option<u64> {
    let (time, node) = hlc.split_once('-')?;
    if time.len() != 16 || node.is_empty() {
        return None;
    }
    u64::from_str_radix(time, 16).ok()
}

/// A stamp from its parts.
pub fn format_stamp(time: u64, node: u64) -> String {
    format!("{time:016x}-{node:x}")
}

/// One device's hybrid logical clock.
#[derive(Debug, Clone)]
pub struct WireClock {
    node: u64,
    last: u64,
    /// How far this device's wall clock is off, in milliseconds (negative: behind). The server
    /// refuses stamps more than a day ahead of its own clock.
    skew_ms: i64,
}

impl WireClock {
    /// A clock for `node` (0 is replaced by 1: node ids have no leading zero).
    pub fn new(node: u64) -> WireClock {
        WireClock { node: node.max(1), last: 0, skew_ms: 0 }
    }

    /// A clock with a random node id.
    pub fn random() -> WireClock {
        WireClock::new(rand::random::<u64>())
    }

    /// The same clock with its wall clock `skew_ms` off.
    pub fn with_skew(mut self, skew_ms: i64) -> WireClock {
        self.skew_ms = skew_ms;
        self
    }

    pub fn node(&self) -> u64 {
        self.node
    }

    /// A new stamp, greater than every stamp this clock issued or observed.
    pub fn stamp(&mut self) -> String {
        let wall = ntp64_of_millis(now_millis() + self.skew_ms);
        self.last = wall.max(self.last + 1);
        format_stamp(self.last, self.node)
    }

    /// Moves the clock past a stamp seen elsewhere. False when it is not a stamp.
    pub fn observe(&mut self, hlc: &str) -> bool {
        match stamp_time(hlc) {
            Some(t) => {
                self.last = self.last.max(t);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_increase_have_the_wire_shape_and_pass_observed_ones() {
        let mut c = WireClock::new(0x1f3a);
        let a = c.stamp();
        let b = c.stamp();
        assert!(b > a);
        assert_eq!(a.len(), 16 + 1 + 4);
        assert!(a.ends_with("-1f3a"));
        let far = format_stamp(stamp_time(&b).unwrap() + 1_000_000, 7);
        assert!(c.observe(&far));
        assert!(c.stamp() > far);
        assert!(!c.observe("nope"));
        assert_eq!(WireClock::new(0).stamp().split_once('-').unwrap().1, "1");
    }

    #[test]
    fn ntp64_decodes_to_the_same_second() {
        let t = ntp64_of_millis(1_735_689_600_500);
        assert_eq!(t >> 32, 1_735_689_600);
        assert_eq!(((t & 0xffff_ffff) * 1000) >> 32, 500);
    }
}
