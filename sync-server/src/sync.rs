//! The sync rules every store backend shares: what a valid change is, and which of two writes
//! to one record wins. Pure functions: no I/O, `now` is passed in.

use qamqor_protocol::{Change, Op, MAX_CHANGE_PAYLOAD_BYTES, MAX_PUSH_CHANGES, MAX_RECORD_ID_BYTES};

use crate::error::AppError;
use crate::store::Millis;

/// Stamps further ahead of the server's clock than this are refused, as the device core
/// refuses them: a device whose clock is a day fast would otherwise win every conflict.
pub const MAX_CLOCK_DRIFT_MS: Millis = 24 * 3600 * 1000;

/// Last-writer-wins: the incoming write replaces the record's current state only when its
/// hybrid logical clock is strictly greater. HLC strings sort in clock order byte by byte,
/// and two writes never share a stamp (the node id is part of it), so every node picks the
/// same winner whatever order the writes arrive in. Deletes follow the same rule: a
/// tombstone wins over older writes and loses to newer ones.
pub fn incoming_wins(incoming_hlc: &str, current_hlc: &str) -> bool {
    incoming_hlc.as_bytes() > current_hlc.as_bytes()
}

/// The physical time of an HLC stamp `"<16 hex digits of NTP64>-<hex node id>"`, in Unix
/// milliseconds, or `None` when the stamp is not in that form.
pub fn hlc_millis(hlc: &str) -> Option<Millis> {
    let (time, node) = hlc.split_once('-')?;
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if time.len() != 16 || !hex(time) || node.is_empty() || node.len() > 32 || !hex(node) || node.starts_with('0') {
        return None;
    }
    let ntp = u64::from_str_radix(time, 16).ok()?;
    // NTP64 as uhlc uses it: seconds since the Unix epoch in the high 32 bits, fraction below.
    let secs = (ntp >> 32) as i64;
    let frac_ms = ((ntp & 0xffff_ffff) * 1000) >> 32;
    Some(secs * 1000 + frac_ms as i64)
}

/// Checks a push batch before anything is stored; the first problem names its field.
pub fn validate_push(changes: &[Change], now: Millis) -> Result<(), AppError> {
    if changes.len() > MAX_PUSH_CHANGES {
        return Err(AppError::unprocessable(
            qamqor_protocol::error_code::TOO_MANY_CHANGES,
            format!("a push carries at most {MAX_PUSH_CHANGES} changes, this one has {}: send smaller batches", changes.len()),
        )
        .with_field("changes"));
    }
    changes.iter().enumerate().try_for_each(|(i, c)| {
        validate_change(c, now).map_err(|(field, msg)| AppError::invalid(format!("changes[{i}].{field}"), msg))
    })
}

fn validate_change(c: &Change, now: Millis) -> Result<(), (&'static str, String)> {
    if c.id.get_version_num() != 7 {
        return Err(("id", "a change id must be a UUIDv7".into()));
    }
    if c.record_id.trim().is_empty() {
        return Err(("record_id", "the record id is empty".into()));
    }
    if c.record_id.len() > MAX_RECORD_ID_BYTES || c.record_id.chars().any(char::is_control) {
        return Err(("record_id", format!("a record id has at most {MAX_RECORD_ID_BYTES} bytes and no control characters")));
    }
    let Some(at) = hlc_millis(&c.hlc) else {
        return Err(("hlc", "not a hybrid logical clock stamp: expected 16 lowercase hex digits, '-', the hex node id".into()));
    };
    if at > now + MAX_CLOCK_DRIFT_MS {
        return Err(("hlc", "the stamp is more than a day ahead of the server's clock: check the device's date and time".into()));
    }
    match c.op {
        Op::Upsert if !c.payload.is_object() => return Err(("payload", "an upsert carries the record as a JSON object".into())),
        Op::Delete if !c.payload.is_null() => return Err(("payload", "a delete carries a null payload".into())),
        _ => {}
    }
    let size = serde_json::to_vec(&c.payload).map_or(usize::MAX, |v| v.len());
    if size > MAX_CHANGE_PAYLOAD_BYTES {
        return Err(("payload", format!("the payload has {size} bytes, at most {MAX_CHANGE_PAYLOAD_BYTES} are accepted")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use qamqor_protocol::Entity;
    use serde_json::json;
    use uuid::Uuid;

    /// 2024-01-01T00:00:00Z
    const NOW: Millis = 1_704_067_200_000;

    fn stamp(ms: Millis, node: &str) -> String {
        let secs = (ms / 1000) as u64;
        let frac = (((ms % 1000) as u64) << 32) / 1000 + 1;
        format!("{:016x}-{node}", (secs << 32) | frac)
    }

    fn change(hlc: &str, op: Op, payload: serde_json::Value) -> Change {
        Change { id: Uuid::now_v7(), entity: Entity::Task, record_id: "t1".into(), op, hlc: hlc.into(), payload }
    }

    #[test]
    fn stamps_decode_to_their_time_and_order_as_bytes() {
        let a = stamp(NOW, "1f");
        assert_eq!(hlc_millis(&a), Some(NOW));
        let b = stamp(NOW + 1, "1");
        assert!(incoming_wins(&b, &a) && !incoming_wins(&a, &b) && !incoming_wins(&a, &a));
        for bad in
            ["", "x", "00000000000000zz-1", "0000000000000001-", "0000000000000001-01", "0000000000000001-A", "000000000000001-1"]
        {
            assert_eq!(hlc_millis(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_invalid_change_names_its_field() {
        let ok = stamp(NOW, "a");
        let cases = [
            (change(&ok, Op::Upsert, json!([1])), "changes[0].payload"),
            (change(&ok, Op::Delete, json!({})), "changes[0].payload"),
            (change("nope", Op::Upsert, json!({})), "changes[0].hlc"),
            (change(&stamp(NOW + 2 * MAX_CLOCK_DRIFT_MS, "a"), Op::Upsert, json!({})), "changes[0].hlc"),
            (Change { record_id: " ".into(), ..change(&ok, Op::Upsert, json!({})) }, "changes[0].record_id"),
            (Change { id: Uuid::nil(), ..change(&ok, Op::Upsert, json!({})) }, "changes[0].id"),
            (change(&ok, Op::Upsert, json!({"big": "x".repeat(MAX_CHANGE_PAYLOAD_BYTES)})), "changes[0].payload"),
        ];
        for (c, field) in cases {
            let e = validate_push(&[c], NOW).unwrap_err();
            assert_eq!(e.status().as_u16(), 422);
            assert!(format!("{e:?}").contains(field), "{field}: {e:?}");
        }
        assert!(validate_push(&[change(&ok, Op::Upsert, json!({})), change(&ok, Op::Delete, json!(null))], NOW).is_ok());
        let many: Vec<_> = (0..=MAX_PUSH_CHANGES).map(|_| change(&ok, Op::Upsert, json!({}))).collect();
        assert_eq!(validate_push(&many, NOW).unwrap_err().code(), "too_many_changes");
    }
}
