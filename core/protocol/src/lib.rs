//! Wire types of the Qamqor sync protocol.
//!
//! Both the device core and the sync server compile this crate, so the two can never disagree
//! about the format. It is serde-only on purpose: the server does not need SQLite, ndarray or
//! UniFFI to speak the protocol. `docs/SYNC_PROTOCOL.md` is the specification.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Version of the wire format. Every request carries it; a server that does not support it
/// answers with an explicit "update the app" error instead of misreading the data.
pub const PROTOCOL_VERSION: u32 = 1;

/// The kinds of record a change can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// The employee's profile (mutable, last-writer-wins).
    Profile,
    /// A work session (append-only fact; may be deleted by a tombstone).
    WorkSession,
    /// A task (mutable, last-writer-wins).
    Task,
    /// A daily check-in (append-only fact).
    CheckIn,
    /// A Copenhagen Burnout Inventory response (append-only fact).
    CbiResponse,
    /// A day the app was opened (append-only fact, counted per day).
    AppOpen,
}

impl Entity {
    /// The stable name used on the wire and in the device's outbox table.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Profile => "profile",
            Entity::WorkSession => "work_session",
            Entity::Task => "task",
            Entity::CheckIn => "check_in",
            Entity::CbiResponse => "cbi_response",
            Entity::AppOpen => "app_open",
        }
    }

    /// Parses the stable wire name back into an entity.
    pub fn parse(name: &str) -> Option<Entity> {
        [
            Entity::Profile,
            Entity::WorkSession,
            Entity::Task,
            Entity::CheckIn,
            Entity::CbiResponse,
            Entity::AppOpen,
        ]
        .into_iter()
        .find(|e| e.as_str() == name)
    }
}

/// What a change does to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Create or replace the record with the payload.
    Upsert,
    /// Delete the record: a tombstone that wins over older writes.
    Delete,
}

impl Op {
    /// The stable name used on the wire and in the outbox table.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Upsert => "upsert",
            Op::Delete => "delete",
        }
    }

    /// Parses the stable wire name back into an operation.
    pub fn parse(name: &str) -> Option<Op> {
        match name {
            "upsert" => Some(Op::Upsert),
            "delete" => Some(Op::Delete),
            _ => None,
        }
    }
}

/// One change to one record, as recorded in the device's outbox and sent by push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Unique id (UUIDv7) of the change itself: the server applies a change id at most once.
    pub id: Uuid,
    pub entity: Entity,
    /// Id of the record the change applies to.
    pub record_id: String,
    pub op: Op,
    /// Hybrid logical clock of the write, as a string whose byte order is the clock order.
    pub hlc: String,
    /// The record's full state after the write (`null` for a delete).
    pub payload: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_and_op_names_round_trip() {
        for e in [
            Entity::Profile,
            Entity::WorkSession,
            Entity::Task,
            Entity::CheckIn,
            Entity::CbiResponse,
            Entity::AppOpen,
        ] {
            assert_eq!(Entity::parse(e.as_str()), Some(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
        }
        assert_eq!(Entity::parse("nope"), None);
        assert_eq!(Op::parse("delete"), Some(Op::Delete));
        assert_eq!(Op::parse("DELETE"), None);
    }

    #[test]
    fn change_json_shape_is_stable() {
        let change = Change {
            id: Uuid::nil(),
            entity: Entity::CheckIn,
            record_id: "r1".into(),
            op: Op::Upsert,
            hlc: "0000000000000001-00".into(),
            payload: serde_json::json!({"fatigue": 3}),
        };
        let v = serde_json::to_value(&change).unwrap();
        assert_eq!(v["entity"], "check_in");
        assert_eq!(v["op"], "upsert");
        let back: Change = serde_json::from_value(v).unwrap();
        assert_eq!(back, change);
    }
}
