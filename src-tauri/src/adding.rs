//! Turning what the user gives (a pasted link, a QR code read from an image or the
//! clipboard) into accounts in the vault, by one path for every source.
//!
//! Google Authenticator transfers (`otpauth-migration://`) may span several QR
//! codes: parts are gathered here and nothing is added until every part is in.

use std::sync::{Mutex, MutexGuard};

use jeton_core::link::Link;
use jeton_core::migration::Batch;
use jeton_core::{Account, Warning};
use serde::Serialize;
use uuid::Uuid;

use crate::{AppError, VaultState};

/// The transfer being scanned, part by part.
#[derive(Debug, Default)]
pub struct TransferState(Mutex<Batch>);

impl TransferState {
    fn lock(&self) -> MutexGuard<'_, Batch> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Forgets a transfer left half-scanned.
    pub fn cancel(&self) {
        *self.lock() = Batch::default();
    }
}

/// What adding did.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AddOutcome {
    /// Accounts were added (one for a link, several for a transfer).
    Added {
        /// Ids of the new accounts, in order.
        ids: Vec<Uuid>,
        /// Things worth telling the user (short secret, unusual digits).
        warnings: Vec<Warning>,
    },
    /// Every part of a transfer was read: what it holds, for the user to confirm.
    /// Nothing is written until `confirm_transfer`.
    Preview {
        /// One entry per account in the transfer, in export order.
        entries: Vec<PreviewEntry>,
    },
    /// Part of a multi-QR transfer was read; the others are still needed.
    NeedMore {
        /// Parts read so far.
        scanned: u32,
        /// Parts in the transfer.
        total: u32,
    },
}

/// One account of a transfer, as previewed: names, kind, and whether Jeton already has it.
#[derive(Debug, Serialize)]
pub struct PreviewEntry {
    /// Issuer.
    issuer: String,
    /// Account name.
    account: String,
    /// TOTP, HOTP or Steam.
    kind: jeton_core::Kind,
    /// "Issuer: account" of the account already in Jeton with the same secret.
    duplicate_of: Option<String>,
}

/// Adds the account(s) of one text: an `otpauth://`/`steam://` link or a part of
/// an `otpauth-migration://` transfer.
pub fn add_text(
    vault: &VaultState,
    transfers: &TransferState,
    text: &str,
) -> Result<AddOutcome, AppError> {
    let part = match jeton_core::link::parse(text)? {
        Link::Account(account) => return add_accounts(vault, vec![*account]),
        Link::TransferPart(part) => part,
    };
    let batch = &mut *transfers.lock();
    let progress = batch.add(part)?;
    if !batch.is_complete() {
        return Ok(AddOutcome::NeedMore {
            scanned: progress.scanned,
            total: progress.total,
        });
    }
    let entries = vault.with(|v| {
        let accounts: Vec<&Account> = batch.accounts().collect();
        Ok(accounts
            .iter()
            .enumerate()
            .map(|(i, a)| PreviewEntry {
                issuer: a.issuer.clone(),
                account: a.name.clone(),
                kind: a.params.kind,
                duplicate_of: v
                    .duplicate_of(a)
                    .or_else(|| accounts[..i].iter().copied().find(|b| b.same_credential(a)))
                    .map(Account::label),
            })
            .collect())
    })?;
    Ok(AddOutcome::Preview { entries })
}

/// Adds the accounts of the previewed transfer that Jeton does not have yet (and
/// each credential once). The transfer is kept until the write succeeds, so a
/// failure (keychain locked…) can be retried without scanning again.
pub fn confirm_transfer(
    vault: &VaultState,
    transfers: &TransferState,
) -> Result<AddOutcome, AppError> {
    let batch = &mut *transfers.lock();
    if !batch.is_complete() {
        return Err(AppError::Core(jeton_core::Error::InvalidMigration(
            "no complete transfer to add".into(),
        )));
    }
    let fresh = vault.with(|v| {
        let mut fresh: Vec<Account> = Vec::new();
        for account in batch.accounts() {
            let known = v.duplicate_of(account).is_some()
                || fresh.iter().any(|f| f.same_credential(account));
            if !known {
                fresh.push(account.clone());
            }
        }
        Ok(fresh)
    })?;
    let outcome = add_accounts(vault, fresh)?;
    *batch = Batch::default();
    Ok(outcome)
}

/// Adds the first usable text among several (an image may hold more than one QR code).
pub fn add_first_usable(
    vault: &VaultState,
    transfers: &TransferState,
    texts: &[String],
) -> Result<AddOutcome, AppError> {
    let mut first_error = None;
    for text in texts {
        match add_text(vault, transfers, text) {
            Ok(outcome) => return Ok(outcome),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.unwrap_or(AppError::Scan(jeton_scan::ScanError::NoQrFound)))
}

fn add_accounts(vault: &VaultState, accounts: Vec<Account>) -> Result<AddOutcome, AppError> {
    let warnings = accounts.iter().flat_map(Account::warnings).collect();
    let ids = vault.with(|v| v.add_all(accounts))?;
    Ok(AddOutcome::Added { ids, warnings })
}
