//! The internal SQLite databases of apps that make no export of their own, as
//! Aegis imports them from rooted phones: Google Authenticator's `databases`,
//! Microsoft Authenticator's `PhoneFactor` and Stratum's `authenticator.db3`.
//!
//! Why it is built this way:
//! - A database is a file written by someone else, so SQLite reads it with the
//!   doors shut: from memory (nothing written to disk), read-only, `query_only`,
//!   views and triggers off, the schema untrusted, `cell_size_check` on, strings
//!   capped at [`MAX_VALUE_BYTES`] and every query stopped after about
//!   [`MAX_STEPS`] virtual-machine steps. Rows are counted (`count(*)`) and
//!   checked with [`limits::check_entries`] before any is read. Any SQLite
//!   error, and any panic below, is a damaged file.
//! - Android keeps these databases in WAL mode. The file copied from the phone
//!   is read as it stands (a WAL file beside it is not part of the import), so
//!   the header is presented to SQLite as a rollback-journal database: its
//!   in-memory store cannot open WAL files.
//! - Each `detect` checks the SQLite magic, then the table and the columns only
//!   that app writes (`accounts` with `email` and `secret`; `accounts` with
//!   `oath_secret_key`; `authenticator` with `secret`), so none claims
//!   another's file.
//! - Fields are mapped as Aegis's `GoogleAuthImporter`, `MicrosoftAuthImporter`
//!   and `StratumImporter` map them (a `NULL` number reads as 0, as Android's
//!   cursor does). Stratum's rows are handed to the mapping of its JSON backup
//!   (same fields, same numbers), with its categories as groups.

use std::panic::{catch_unwind, AssertUnwindSafe};

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, MAIN_DB};
use zeroize::Zeroize;

use super::{limits, BackupError, ImportEntry, Importer, Input};
use crate::error::Error;
use crate::otp::{Kind, OtpParams, Secret};

/// The first 16 bytes of every SQLite 3 database.
const MAGIC: &[u8] = b"SQLite format 3\0";
/// Longest string or blob SQLite may build while reading: far above any name or
/// secret, far below what a crafted file could make it allocate.
const MAX_VALUE_BYTES: i32 = 1024 * 1024;
/// Virtual-machine steps between two progress checks.
const STEPS_PER_CHECK: i32 = 1000;
/// Most virtual-machine steps one database may take to read (about a second):
/// reading 10,000 real rows takes well under a million.
const MAX_STEPS: u64 = 50_000_000;

/// Google Authenticator's internal database (`accounts`: `email`, `secret`,
/// `counter`, `type`, `issuer`).
pub struct GoogleAuthenticatorDb;

/// Microsoft Authenticator's internal database (`accounts`: `name`,
/// `username`, `oath_secret_key`, `account_type`).
pub struct MicrosoftAuthenticatorDb;

/// Stratum's (Authenticator Pro's) internal database (`authenticator`,
/// `category`, `authenticatorcategory`).
pub struct StratumDb;

impl Importer for GoogleAuthenticatorDb {
    fn name(&self) -> &'static str {
        "google-authenticator-db"
    }

    fn detect(&self, input: &Input) -> bool {
        has_columns(input, "accounts", &["email", "secret"])
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        const COLUMNS: &[&str] = &[
            "email",
            "secret",
            "counter",
            "type",
            "issuer",
            "isencrypted",
        ];
        with_db(input.bytes, |db| {
            let rows = select(db, "accounts", COLUMNS, &["secret"])?;
            Ok(rows.iter().map(google_entry).collect())
        })
    }
}

/// One Google Authenticator row. The label (`email`) "Issuer:account" keeps
/// only the account, as Aegis does (a name with more colons is kept whole); the
/// issuer is the `issuer` column, or that prefix when the column is empty.
fn google_entry(row: &Row) -> ImportEntry {
    let label = row.text(0).unwrap_or("");
    let column_issuer = row.text(4).unwrap_or("").trim();
    let (prefix, account) = split_label(label);
    let issuer = if column_issuer.is_empty() {
        prefix.unwrap_or("")
    } else {
        column_issuer
    };
    if row.int(5).is_some_and(|flag| flag > 0) {
        return ImportEntry::unsupported(
            issuer,
            account,
            "encrypted by Google Authenticator: use its \"Transfer accounts\" QR codes instead",
        );
    }
    let kind = match row.int(3).unwrap_or(0) {
        0 => Kind::Totp,
        1 => Kind::Hotp,
        other => {
            return ImportEntry::skipped(
                issuer,
                account,
                Error::UnknownType(format!("Google Authenticator type {other}")),
            )
        }
    };
    let counter = match kind {
        Kind::Hotp => {
            let stored = row.int(2).unwrap_or(0);
            match u64::try_from(stored) {
                Ok(counter) => counter,
                Err(_) => {
                    return ImportEntry::skipped(
                        issuer,
                        account,
                        Error::InvalidCounter(stored.to_string()),
                    )
                }
            }
        }
        _ => 0,
    };
    let params = OtpParams {
        kind,
        counter,
        ..OtpParams::default()
    };
    ImportEntry::build(issuer, account, base32(row.text(1)), params)
}

/// Splits a label as Java's `split(":")` does and Aegis then uses it: exactly
/// two parts (trailing empty parts dropped) give the prefix and the account;
/// anything else is all account.
fn split_label(label: &str) -> (Option<&str>, &str) {
    let mut parts: Vec<&str> = label.split(':').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    match parts.as_slice() {
        [prefix, account] => (Some(prefix.trim()), account),
        _ => (None, label),
    }
}

impl Importer for MicrosoftAuthenticatorDb {
    fn name(&self) -> &'static str {
        "microsoft-authenticator-db"
    }

    fn detect(&self, input: &Input) -> bool {
        has_columns(input, "accounts", &["oath_secret_key"])
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        const COLUMNS: &[&str] = &["name", "username", "oath_secret_key", "account_type"];
        with_db(input.bytes, |db| {
            let rows = select(db, "accounts", COLUMNS, &["oath_secret_key"])?;
            Ok(rows.iter().map(microsoft_entry).collect())
        })
    }
}

/// One Microsoft Authenticator row: type 0 is a TOTP account (Base32 secret,
/// 6 digits), type 1 a personal Microsoft account (Base64 secret, 8 digits);
/// both SHA1 / 30 s. Other types (work or school accounts) are skipped.
fn microsoft_entry(row: &Row) -> ImportEntry {
    let issuer = row.text(0).unwrap_or("");
    let account = row.text(1).unwrap_or("");
    let (secret, digits) = match row.int(3).unwrap_or(0) {
        0 => (base32(row.text(2)), 6),
        1 => (
            super::base64(row.text(2).unwrap_or(""))
                .map(|bytes| Secret::from_bytes(bytes.to_vec()))
                .map_err(Error::Backup),
            8,
        ),
        other => {
            return ImportEntry::unsupported(
                issuer,
                account,
                format!(
                    "Microsoft Authenticator account type {other} is not supported (only \
                     types 0, other accounts, and 1, personal Microsoft accounts)"
                ),
            )
        }
    };
    let params = OtpParams {
        digits,
        ..OtpParams::default()
    };
    ImportEntry::build(issuer, account, secret, params)
}

impl Importer for StratumDb {
    fn name(&self) -> &'static str {
        "stratum-db"
    }

    fn detect(&self, input: &Input) -> bool {
        has_columns(input, "authenticator", &["secret"])
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let json = with_db(input.bytes, |db| {
            let mut backup = serde_json::Map::new();
            for StratumTable {
                table,
                list,
                fields,
                required,
            } in STRATUM_TABLES
            {
                if !*required && !table_exists(db, table)? {
                    continue;
                }
                let columns: Vec<&str> = fields.iter().map(|(column, _)| *column).collect();
                let needed: &[&str] = if *required { &["secret"] } else { &[] };
                let rows = select(db, table, &columns, needed)?;
                let items = rows
                    .iter()
                    .map(|row| {
                        fields
                            .iter()
                            .enumerate()
                            .map(|(i, (_, key))| (key.to_string(), row.json(i)))
                            .collect::<serde_json::Map<_, _>>()
                            .into()
                    })
                    .collect();
                backup.insert(list.to_string(), serde_json::Value::Array(items));
            }
            Ok(serde_json::Value::Object(backup))
        })?;
        super::stratum::entries(&json)
    }
}

/// One table of Stratum's database, as the JSON list of its backup.
struct StratumTable {
    table: &'static str,
    /// The backup's list of the same rows.
    list: &'static str,
    /// Each column, and the backup's key for it.
    fields: &'static [(&'static str, &'static str)],
    /// The authenticators are; without categories there are no groups.
    required: bool,
}

const STRATUM_TABLES: &[StratumTable] = &[
    StratumTable {
        table: "authenticator",
        list: "Authenticators",
        fields: &[
            ("type", "Type"),
            ("issuer", "Issuer"),
            ("username", "Username"),
            ("secret", "Secret"),
            ("algorithm", "Algorithm"),
            ("digits", "Digits"),
            ("period", "Period"),
            ("counter", "Counter"),
        ],
        required: true,
    },
    StratumTable {
        table: "category",
        list: "Categories",
        fields: &[("id", "Id"), ("name", "Name")],
        required: false,
    },
    StratumTable {
        table: "authenticatorcategory",
        list: "AuthenticatorCategories",
        fields: &[
            ("categoryId", "CategoryId"),
            ("authenticatorSecret", "AuthenticatorSecret"),
        ],
        required: false,
    },
];

/// A Base32 secret column (`NULL` is a missing secret).
fn base32(text: Option<&str>) -> crate::Result<Secret> {
    text.ok_or(Error::MissingSecret)
        .and_then(Secret::from_base32)
}

/// The tables the importers above look for.
const KNOWN_TABLES: &[&str] = &["accounts", "authenticator"];

/// The columns of each of [`KNOWN_TABLES`] in `bytes` (empty when they are not a
/// readable SQLite database: cheap for anything else, the magic is checked first).
pub(super) fn known_tables(bytes: &[u8]) -> Vec<(&'static str, Vec<String>)> {
    if !bytes.starts_with(MAGIC) {
        return Vec::new();
    }
    with_db(bytes, |db| {
        KNOWN_TABLES
            .iter()
            .map(|table| Ok((*table, table_columns(db, table)?)))
            .collect()
    })
    .unwrap_or_default()
}

/// True when the input is an SQLite database with table `table` holding every
/// one of `columns`.
fn has_columns(input: &Input, table: &str, columns: &[&str]) -> bool {
    input.sqlite_columns().iter().any(|(known, found)| {
        *known == table
            && columns
                .iter()
                .all(|c| found.iter().any(|f| f.eq_ignore_ascii_case(c)))
    })
}

/// Opens `bytes` as a database and runs `read` on it; SQLite's errors and any
/// panic are a damaged file.
fn with_db<T>(
    bytes: &[u8],
    read: impl FnOnce(&Connection) -> Result<T, BackupError>,
) -> Result<T, BackupError> {
    if !bytes.starts_with(MAGIC) {
        return Err(BackupError::damaged("not an SQLite database"));
    }
    catch_unwind(AssertUnwindSafe(|| read(&open(bytes)?))).unwrap_or_else(|_| {
        Err(BackupError::damaged(
            "the SQLite database could not be read",
        ))
    })
}

/// The database in memory, read-only, with every guard of the module header.
fn open(bytes: &[u8]) -> Result<Connection, BackupError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_EXRESCODE;
    let mut db = Connection::open_in_memory_with_flags(flags).map_err(damaged)?;
    let mut steps = 0u64;
    db.progress_handler(
        STEPS_PER_CHECK,
        Some(move || {
            steps = steps.saturating_add(1);
            steps > MAX_STEPS / u64::from(STEPS_PER_CHECK.unsigned_abs())
        }),
    )
    .map_err(damaged)?;
    db.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        .map_err(damaged)?;
    for (config, on) in [
        (DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true),
        (DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false),
    ] {
        db.set_db_config(config, on).map_err(damaged)?;
    }
    // Bytes 18 and 19 say WAL (2) or rollback journal (1); the in-memory store
    // opens only the latter. The rest is handed over unchanged.
    let header = bytes.get(..18).ok_or_else(|| damaged_text("truncated"))?;
    let rest = bytes.get(20..).ok_or_else(|| damaged_text("truncated"))?;
    let patched = std::io::Read::chain(std::io::Read::chain(header, &[1u8, 1][..]), rest);
    db.deserialize_read_exact(MAIN_DB, patched, bytes.len(), true)
        .map_err(damaged)?;
    db.pragma_update(None, "query_only", true)
        .map_err(damaged)?;
    db.pragma_update(None, "cell_size_check", true)
        .map_err(damaged)?;
    Ok(db)
}

/// True when the database has a table (not a view) named `table`.
fn table_exists(db: &Connection, table: &str) -> Result<bool, BackupError> {
    db.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
        [table],
        |row| row.get::<_, i64>(0),
    )
    .map(|count| count > 0)
    .map_err(damaged)
}

/// The column names of table `table` (none when there is no such table).
fn table_columns(db: &Connection, table: &str) -> Result<Vec<String>, BackupError> {
    if !table_exists(db, table)? {
        return Ok(Vec::new());
    }
    let mut statement = db
        .prepare("SELECT name FROM pragma_table_xinfo(?1) LIMIT 1000")
        .map_err(damaged)?;
    let names = statement
        .query_map([table], |row| row.get::<_, String>(0))
        .map_err(damaged)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(damaged);
    names
}

/// Every row of `table`, with the values of `columns` in that order (`NULL`
/// for a column the table lacks; a missing `required` one is a damaged file).
/// The rows are counted and checked against the limit before they are read.
fn select(
    db: &Connection,
    table: &str,
    columns: &[&str],
    required: &[&str],
) -> Result<Vec<Row>, BackupError> {
    let found = table_columns(db, table)?;
    let has = |column: &str| found.iter().any(|f| f.eq_ignore_ascii_case(column));
    if let Some(missing) = required.iter().find(|c| !has(c)) {
        return Err(damaged_text(&format!(
            "no column {missing} in table {table}"
        )));
    }
    // The names are this module's constants, quoted all the same.
    let list: Vec<String> = columns
        .iter()
        .map(|c| {
            if has(c) {
                format!("\"{c}\"")
            } else {
                "NULL".to_string()
            }
        })
        .collect();
    let count: i64 = db
        .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |row| {
            row.get(0)
        })
        .map_err(damaged)?;
    limits::check_entries(usize::try_from(count).unwrap_or(usize::MAX))?;
    let mut statement = db
        .prepare(&format!(
            "SELECT {} FROM \"{table}\" LIMIT {}",
            list.join(", "),
            limits::MAX_ENTRIES
        ))
        .map_err(damaged)?;
    let rows = statement
        .query_map([], |row| {
            (0..columns.len())
                .map(|i| row.get::<_, Value>(i))
                .collect::<Result<Vec<_>, _>>()
                .map(Row)
        })
        .map_err(damaged)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(damaged);
    rows
}

/// One row's values, in the order asked for; its texts are wiped when dropped.
struct Row(Vec<Value>);

impl Row {
    /// A text value (a number reads as no text).
    fn text(&self, i: usize) -> Option<&str> {
        match self.0.get(i)? {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    /// An integer value, or a text holding one (as Android's cursor reads it).
    fn int(&self, i: usize) -> Option<i64> {
        match self.0.get(i)? {
            Value::Integer(n) => Some(*n),
            Value::Text(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as JSON (a blob or a non-finite real is `null`).
    fn json(&self, i: usize) -> serde_json::Value {
        match self.0.get(i) {
            Some(Value::Integer(n)) => (*n).into(),
            Some(Value::Real(x)) => serde_json::Number::from_f64(*x)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Some(Value::Text(text)) => text.clone().into(),
            _ => serde_json::Value::Null,
        }
    }
}

impl Drop for Row {
    fn drop(&mut self) {
        for value in &mut self.0 {
            match value {
                Value::Text(text) => text.zeroize(),
                Value::Blob(blob) => blob.zeroize(),
                _ => {}
            }
        }
    }
}

/// SQLite's error as a damaged file (its messages hold no values of the file).
fn damaged(error: rusqlite::Error) -> BackupError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::OperationInterrupted) => {
            damaged_text("it takes too long to read (crafted?)")
        }
        _ => damaged_text(&error.to_string()),
    }
}

fn damaged_text(what: &str) -> BackupError {
    BackupError::damaged(format!("SQLite database: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_split_as_aegis_does() {
        assert_eq!(split_label("Deno:Mason"), (Some("Deno"), "Mason"));
        assert_eq!(split_label("Mason"), (None, "Mason"));
        assert_eq!(split_label("a:b:c"), (None, "a:b:c"));
        assert_eq!(split_label("a:b:"), (Some("a"), "b"));
        assert_eq!(split_label("a:"), (None, "a:"));
        assert_eq!(split_label(":b"), (Some(""), "b"));
        assert_eq!(split_label(""), (None, ""));
    }
}
