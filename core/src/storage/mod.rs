//! The device's SQLite database: the schema and its migrations, and the DAO holding all SQL.

pub(crate) mod competencies_dao;
pub(crate) mod dao;
pub(crate) mod ratings_dao;
pub mod schema;
pub(crate) mod sync_dao;
