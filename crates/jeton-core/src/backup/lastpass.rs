//! LastPass Authenticator JSON export (Android and iOS), plain.
//!
//! Why it is built this way:
//! - The export lists `accounts` of `{issuerName, userName, secret, timeStep,
//!   digits, algorithm}`: all TOTP (LastPass has no HOTP), `timeStep` being the
//!   period. Names are kept as written: an empty issuer stays empty (Proton's
//!   importer copies the user name into it; Jeton does not guess).
//! - `folderData.folderId` points into `folders`. Folder 0 ("Other accounts") is
//!   where every account starts and folder 1 is LastPass's built-in "Favorites":
//!   neither is a group the user made, so 0 means no group and 1 (or
//!   `isFavorite`) marks the account a favourite; any other folder is its group.
//! - Both apps write the same fields (iOS as `version` 1, Android 3), so the
//!   version is not checked.

use std::collections::HashMap;

use serde_json::Value;

use super::twofas::{entry, list, params, secret, text, with_extras};
use super::{limits, BackupError, ImportEntry, Importer, Input};
use crate::otp::Kind;

/// LastPass's default folder ("Other accounts").
const DEFAULT_FOLDER: u64 = 0;
/// LastPass's built-in "Favorites" folder.
const FAVOURITES_FOLDER: u64 = 1;

/// LastPass Authenticator JSON export.
pub struct LastPass;

impl Importer for LastPass {
    fn name(&self) -> &'static str {
        "lastpass"
    }

    fn detect(&self, input: &Input) -> bool {
        input.json.as_ref().is_some_and(|json| {
            json.get("accounts")
                .and_then(Value::as_array)
                .is_some_and(|accounts| {
                    json.get("localDeviceId").is_some()
                        || accounts.first().is_some_and(|a| {
                            a.get("issuerName").is_some() && a.get("timeStep").is_some()
                        })
                })
        })
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let json = input.json_of("LastPass Authenticator export")?;
        let folders = json
            .get("folders")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        limits::check_entries(folders.len())?;
        let folders: HashMap<u64, &str> = folders
            .iter()
            .filter_map(|f| Some((f.get("id")?.as_u64()?, text(f, "name"))))
            .collect();
        Ok(list(json, "accounts")?
            .iter()
            .map(|account| {
                let issuer = text(account, "issuerName");
                let name = text(account, "userName");
                let params = params(Kind::Totp, account, ["algorithm", "digits", "timeStep"]);
                let folder = account
                    .get("folderData")
                    .and_then(|f| f.get("folderId"))
                    .and_then(Value::as_u64)
                    .unwrap_or(DEFAULT_FOLDER);
                let group = match folder {
                    DEFAULT_FOLDER | FAVOURITES_FOLDER => None,
                    id => folders.get(&id).map(|name| name.to_string()),
                };
                let favourite = folder == FAVOURITES_FOLDER
                    || account.get("isFavorite").and_then(Value::as_bool) == Some(true);
                with_extras(
                    entry(issuer, name, secret(account, "secret"), params),
                    group,
                    favourite,
                )
            })
            .collect())
    }
}
