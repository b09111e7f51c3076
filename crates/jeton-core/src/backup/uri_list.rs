//! A plain list of links, one per line: what Aegis, Ente, Stratum and 2FAS write as
//! their "text" export, what `jeton export --format otpauth` writes, and a file of
//! Google Authenticator transfer links (`otpauth-migration://`).
//!
//! Every line that is a link becomes an entry, readable or skipped with its reason
//! (a `motp://` line is reported, not dropped); blank lines and lines that are not
//! links at all (a title, a comment) are not entries.

use super::{BackupError, ImportEntry, Importer, Input};
use crate::error::Error;

/// One link per line.
pub struct UriList;

const ACCOUNT_SCHEMES: [&str; 2] = ["otpauth://", "steam://"];

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn is_link(line: &str) -> bool {
    ACCOUNT_SCHEMES
        .iter()
        .any(|scheme| starts_with_ignore_case(line, scheme))
        || crate::link::is_transfer(line)
}

impl Importer for UriList {
    fn name(&self) -> &'static str {
        "otpauth"
    }

    fn detect(&self, input: &Input) -> bool {
        input
            .text
            .is_some_and(|text| text.lines().any(|line| is_link(line.trim())))
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let text = input
            .text
            .ok_or_else(|| BackupError::damaged("the file is not text"))?;
        let mut entries = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| l.contains("://")) {
            super::limits::check_entries(entries.len())?;
            if crate::link::is_transfer(line) {
                match crate::migration::parse_link(line) {
                    Ok(part) => entries.extend(part.accounts.into_iter().map(ImportEntry::ok)),
                    Err(reason) => entries.push(ImportEntry::skipped(
                        "Google Authenticator transfer",
                        "",
                        reason,
                    )),
                }
            } else if ACCOUNT_SCHEMES
                .iter()
                .any(|s| starts_with_ignore_case(line, s))
            {
                entries.push(super::ente::entry_from_line(line));
            } else {
                let (issuer, account) = crate::uri::label_names(line);
                entries.push(ImportEntry::skipped(
                    &issuer,
                    &account,
                    Error::WrongScheme(crate::uri::scheme_of(line)),
                ));
            }
        }
        Ok(entries)
    }
}
