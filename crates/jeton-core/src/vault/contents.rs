//! What the vault holds, and every rule about changing it, with no I/O.
//!
//! Why a module of its own: the rules (the duplicate rule, positions, the trash,
//! the HOTP counter) are the part most worth testing, and here they can be tested
//! on plain values, without a keychain, a folder or a lock. [`super::Vault`] runs
//! each of these operations on the latest contents under its lock, then writes.

use uuid::Uuid;

use crate::account::{Account, AccountSummary, CodeView};
use crate::error::{Error, Result};
use crate::otp::Kind;

/// What is encrypted: the accounts, in use and in the trash.
#[derive(Debug, Default, Clone)]
pub struct Contents {
    /// Every account, in use and in the trash, in no particular order.
    pub accounts: Vec<Account>,
}

/// What [`super::Vault::add_new`] did.
#[derive(Debug, Default)]
pub struct AddReport {
    /// The accounts added, in order.
    pub added: Vec<AccountSummary>,
    /// Accounts not added because Jeton already has them: (the account given, the
    /// id of the one already there).
    pub duplicates: Vec<(Account, Uuid)>,
}

impl Contents {
    /// The place after the last account, in use or in the trash.
    pub fn next_position(&self) -> u32 {
        self.accounts
            .iter()
            .map(|a| a.position.saturating_add(1))
            .max()
            .unwrap_or(0)
    }

    /// Accounts in use, in the user's order.
    pub fn in_use_accounts(&self) -> Vec<&Account> {
        let mut accounts: Vec<&Account> = self
            .accounts
            .iter()
            .filter(|a| a.deleted_at.is_none())
            .collect();
        accounts.sort_by_key(|a| (a.position, a.created));
        accounts
    }

    /// Every account, in use and in the trash, in the user's order.
    pub fn all_accounts(&self) -> Vec<&Account> {
        let mut all: Vec<&Account> = self.accounts.iter().collect();
        all.sort_by_key(|a| (a.position, a.created));
        all
    }

    /// Accounts in the trash, most recently deleted first.
    pub fn trash(&self) -> Vec<&Account> {
        let mut trashed: Vec<&Account> = self
            .accounts
            .iter()
            .filter(|a| a.deleted_at.is_some())
            .collect();
        trashed.sort_by_key(|a| std::cmp::Reverse(a.deleted_at));
        trashed
    }

    /// The account in use with this id, or the only one in use whose id starts
    /// with `text` (accounts in the trash are not looked at: see
    /// [`Contents::find_in_trash`]).
    pub fn find(&self, text: &str) -> Result<&Account> {
        find_among(
            self.accounts.iter().filter(|a| a.deleted_at.is_none()),
            text,
        )
    }

    /// The account in the trash with this id, or the only one in the trash whose id
    /// starts with `text` (for restore and purge).
    pub fn find_in_trash(&self, text: &str) -> Result<&Account> {
        find_among(
            self.accounts.iter().filter(|a| a.deleted_at.is_some()),
            text,
        )
    }

    /// The account in use (not in the trash) with this id.
    pub fn in_use(&self, id: Uuid) -> Result<&Account> {
        self.accounts
            .iter()
            .find(|a| a.id == id && a.deleted_at.is_none())
            .ok_or_else(|| Error::NotFound(id.to_string()))
    }

    /// The account in use that `account` would duplicate (same kind and secret).
    pub fn duplicate_of(&self, account: &Account) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|a| a.deleted_at.is_none() && a.same_credential(account))
    }

    /// For each account, the id of the one [`Contents::add_new`] would see it as a
    /// duplicate of: an account in use with the same kind and secret, or an earlier
    /// one of the same list; one going to the trash (from a backup) also duplicates
    /// one already in the trash.
    pub fn duplicates_among<'a>(
        &self,
        accounts: impl Iterator<Item = &'a Account>,
    ) -> Vec<Option<Uuid>> {
        let mut seen: Vec<&Account> = Vec::new();
        let mut found = Vec::new();
        for account in accounts {
            let duplicate = self
                .accounts
                .iter()
                .chain(seen.iter().copied())
                .filter(|a| a.deleted_at.is_none() || account.deleted_at.is_some())
                .find(|a| a.same_credential(account))
                .map(|a| a.id);
            if duplicate.is_none() {
                seen.push(account);
            }
            found.push(duplicate);
        }
        found
    }

    /// Adds the accounts not already here (see [`Contents::duplicates_among`]) at
    /// the end of the list and reports the others. Accounts given in the trash stay
    /// in the trash. An account whose id is taken gets a new one.
    pub fn add_new(&mut self, accounts: Vec<Account>) -> Result<AddReport> {
        for account in &accounts {
            account.params.validate()?;
        }
        let duplicates = self.duplicates_among(accounts.iter());
        let mut report = AddReport::default();
        let mut position = self.next_position();
        for (mut account, duplicate) in accounts.into_iter().zip(duplicates) {
            if let Some(id) = duplicate {
                report.duplicates.push((account, id));
                continue;
            }
            if self.accounts.iter().any(|a| a.id == account.id) {
                account.id = Uuid::new_v4();
            }
            account.position = position;
            position = position.saturating_add(1);
            report.added.push(account.summary());
            self.accounts.push(account);
        }
        Ok(report)
    }

    /// Adds accounts at the end of the list, in use; if any is a duplicate of one in
    /// use (or of an earlier one given), none is added and the error names it.
    pub fn add_all(&mut self, accounts: Vec<Account>) -> Result<Vec<Uuid>> {
        for (i, account) in accounts.iter().enumerate() {
            let same = |a: &&Account| a.same_credential(account);
            let in_use = self.accounts.iter().filter(|a| a.deleted_at.is_none());
            if let Some(existing) = in_use.chain(&accounts[..i]).find(same) {
                return Err(duplicate_error(existing));
            }
            account.params.validate()?;
        }
        let first_position = self.next_position();
        let mut ids = Vec::with_capacity(accounts.len());
        for (position, mut account) in (first_position..).zip(accounts) {
            account.position = position;
            account.deleted_at = None;
            ids.push(account.id);
            self.accounts.push(account);
        }
        Ok(ids)
    }

    /// Sets the issuer and name of an account in use.
    pub fn rename(&mut self, id: Uuid, issuer: &str, name: &str) -> Result<()> {
        let (issuer, name) = (
            crate::account::clean_name(issuer)?,
            crate::account::clean_name(name)?,
        );
        let account = self.in_use_mut(id)?;
        account.issuer = issuer;
        account.name = name;
        Ok(())
    }

    /// Puts the accounts in the order of `ids`; accounts not listed keep their
    /// relative order after them.
    pub fn reorder(&mut self, ids: &[Uuid]) -> Result<()> {
        if let Some(unknown) = ids
            .iter()
            .find(|id| !self.accounts.iter().any(|a| a.id == **id))
        {
            return Err(Error::NotFound(unknown.to_string()));
        }
        let rank = |a: &Account| ids.iter().position(|id| *id == a.id).unwrap_or(ids.len());
        self.accounts
            .sort_by_key(|a| (rank(a), a.position, a.created));
        for (position, account) in (0u32..).zip(self.accounts.iter_mut()) {
            account.position = position;
        }
        Ok(())
    }

    /// Moves an account in use to the trash, at `now`.
    pub fn delete(&mut self, id: Uuid, now: u64) -> Result<()> {
        self.in_use_mut(id)?.deleted_at.get_or_insert(now);
        Ok(())
    }

    /// Brings an account back from the trash, to the place it had in the list.
    /// If the same credential was added again meanwhile (delete, re-add, Undo), the
    /// restore is refused with [`Error::Duplicate`] naming the account in use:
    /// restoring would only make a second row of the same codes.
    pub fn restore(&mut self, id: Uuid) -> Result<()> {
        let index = self
            .accounts
            .iter()
            .position(|a| a.id == id && a.deleted_at.is_some())
            .ok_or_else(|| Error::NotFound(id.to_string()))?;
        if let Some(existing) = self.duplicate_of(&self.accounts[index]) {
            return Err(duplicate_error(existing));
        }
        self.accounts[index].deleted_at = None;
        Ok(())
    }

    /// Removes an account in the trash for good.
    pub fn purge(&mut self, id: Uuid) -> Result<()> {
        self.trashed_mut(id)?;
        self.accounts.retain(|a| a.id != id);
        Ok(())
    }

    /// HOTP: advances the counter and returns the new code (as at `now`).
    pub fn hotp_next(&mut self, id: Uuid, now: u64) -> Result<CodeView> {
        let account = self.in_use_mut(id)?;
        if account.params.kind != Kind::Hotp {
            return Err(Error::NotHotp);
        }
        account.params.counter = account
            .params
            .counter
            .checked_add(1)
            .ok_or_else(|| Error::InvalidCounter(u64::MAX.to_string()))?;
        account.code_view(now)
    }

    fn in_use_mut(&mut self, id: Uuid) -> Result<&mut Account> {
        self.accounts
            .iter_mut()
            .find(|a| a.id == id && a.deleted_at.is_none())
            .ok_or_else(|| Error::NotFound(id.to_string()))
    }

    fn trashed_mut(&mut self, id: Uuid) -> Result<&mut Account> {
        self.accounts
            .iter_mut()
            .find(|a| a.id == id && a.deleted_at.is_some())
            .ok_or_else(|| Error::NotFound(id.to_string()))
    }
}

fn duplicate_error(existing: &Account) -> Error {
    Error::Duplicate {
        id: existing.id,
        issuer_account: existing.label(),
    }
}

/// The one account among `accounts` whose id is `text` or starts with it.
fn find_among<'a>(accounts: impl Iterator<Item = &'a Account>, text: &str) -> Result<&'a Account> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Err(Error::NotFound(text));
    }
    let mut matches = accounts.filter(|a| a.id.to_string().starts_with(&text));
    match (matches.next(), matches.next()) {
        (Some(account), None) => Ok(account),
        (Some(_), Some(_)) => Err(Error::Ambiguous(text)),
        (None, _) => Err(Error::NotFound(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{OtpParams, Secret};

    fn account(secret: &str, issuer: &str) -> Account {
        Account::new(
            issuer,
            "me",
            Secret::from_bytes(secret.as_bytes().to_vec()),
            OtpParams::default(),
        )
        .unwrap()
    }

    fn labels(accounts: Vec<&Account>) -> Vec<String> {
        accounts.into_iter().map(|a| a.issuer.clone()).collect()
    }

    #[test]
    fn add_rename_reorder_delete_restore_purge_without_any_io() {
        let mut contents = Contents::default();
        let ids = contents
            .add_all(vec![
                account("aaaa", "A"),
                account("bbbb", "B"),
                account("cccc", "C"),
            ])
            .unwrap();
        assert_eq!(labels(contents.in_use_accounts()), ["A", "B", "C"]);
        contents.rename(ids[1], " Bee ", "  you ").unwrap();
        assert_eq!(contents.in_use(ids[1]).unwrap().label(), "Bee: you");
        contents.reorder(&[ids[2], ids[0]]).unwrap();
        assert_eq!(labels(contents.in_use_accounts()), ["C", "A", "Bee"]);
        contents.delete(ids[0], 1_000).unwrap();
        assert_eq!(labels(contents.in_use_accounts()), ["C", "Bee"]);
        assert!(matches!(
            contents.rename(ids[0], "x", "y"),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(contents.purge(ids[1]), Err(Error::NotFound(_))));
        contents.restore(ids[0]).unwrap();
        assert_eq!(
            labels(contents.in_use_accounts()),
            ["C", "A", "Bee"],
            "back in its place"
        );
        contents.delete(ids[0], 2_000).unwrap();
        contents.purge(ids[0]).unwrap();
        assert_eq!(contents.accounts.len(), 2);
        assert!(contents.trash().is_empty());
    }

    #[test]
    fn add_all_refuses_a_duplicate_and_adds_nothing() {
        let mut contents = Contents::default();
        let first = contents.add_all(vec![account("aaaa", "A")]).unwrap()[0];
        match contents.add_all(vec![account("bbbb", "B"), account("aaaa", "again")]) {
            Err(Error::Duplicate { id, issuer_account }) => {
                assert_eq!(id, first);
                assert_eq!(issuer_account, "A: me");
            }
            other => panic!("expected a duplicate, got {other:?}"),
        }
        assert_eq!(labels(contents.in_use_accounts()), ["A"]);
        let twice = contents.add_all(vec![account("cccc", "C"), account("cccc", "C2")]);
        assert!(matches!(twice, Err(Error::Duplicate { .. })));
        assert_eq!(contents.accounts.len(), 1);
    }

    #[test]
    fn add_new_skips_duplicates_and_keeps_trash_from_a_backup_in_the_trash() {
        let mut contents = Contents::default();
        let a = contents.add_all(vec![account("aaaa", "A")]).unwrap()[0];
        let mut trashed = account("tttt", "T");
        trashed.deleted_at = Some(5);
        let report = contents
            .add_new(vec![
                account("aaaa", "A2"),
                account("bbbb", "B"),
                account("bbbb", "B2"),
                trashed,
            ])
            .unwrap();
        let added: Vec<_> = report.added.iter().map(|s| s.issuer.as_str()).collect();
        assert_eq!(added, ["B", "T"]);
        assert_eq!(report.duplicates.len(), 2);
        assert_eq!(report.duplicates[0].1, a);
        assert_eq!(labels(contents.trash()), ["T"]);
        let positions: Vec<_> = contents.all_accounts().iter().map(|a| a.position).collect();
        assert_eq!(positions, [0, 1, 2]);
    }

    #[test]
    fn find_looks_in_use_and_find_in_trash_in_the_trash() {
        let mut contents = Contents::default();
        let ids = contents
            .add_all(vec![account("aaaa", "A"), account("bbbb", "B")])
            .unwrap();
        contents.delete(ids[1], 10).unwrap();
        let (used, trashed) = (ids[0].to_string(), ids[1].to_string());
        assert_eq!(contents.find(&used[..8]).unwrap().id, ids[0]);
        assert!(matches!(contents.find(&trashed), Err(Error::NotFound(_))));
        assert_eq!(contents.find_in_trash(&trashed[..8]).unwrap().id, ids[1]);
        assert!(matches!(
            contents.find_in_trash(&used),
            Err(Error::NotFound(_))
        ));
        // A prefix shared by an account in use and one in the trash is not ambiguous.
        let mut twin = account("cccc", "C");
        twin.id =
            uuid::Uuid::parse_str(&format!("{}-0000-4000-8000-000000000000", &used[..8])).unwrap();
        contents.add_all(vec![twin]).unwrap();
        contents.delete(contents.accounts[2].id, 11).unwrap();
        assert_eq!(contents.find(&used[..8]).unwrap().id, ids[0]);
    }

    #[test]
    fn restoring_an_account_added_again_meanwhile_is_refused() {
        let mut contents = Contents::default();
        let first = contents.add_all(vec![account("aaaa", "A")]).unwrap()[0];
        contents.delete(first, 10).unwrap();
        let again = contents.add_all(vec![account("aaaa", "A again")]).unwrap()[0];
        match contents.restore(first) {
            Err(Error::Duplicate { id, issuer_account }) => {
                assert_eq!(id, again);
                assert_eq!(issuer_account, "A again: me");
            }
            other => panic!("expected a duplicate, got {other:?}"),
        }
        assert_eq!(labels(contents.in_use_accounts()), ["A again"]);
        assert_eq!(labels(contents.trash()), ["A"], "still in the trash");
        contents.purge(first).unwrap();
    }

    #[test]
    fn hotp_next_counts_and_refuses_totp() {
        let mut contents = Contents::default();
        let mut hotp = account("12345678901234567890", "H");
        hotp.params.kind = Kind::Hotp;
        let totp = account("abcdabcdabcd", "T");
        let ids = contents.add_all(vec![hotp, totp]).unwrap();
        // RFC 4226 appendix D: counters 1 and 2.
        assert_eq!(contents.hotp_next(ids[0], 0).unwrap().code, "287082");
        assert_eq!(contents.hotp_next(ids[0], 0).unwrap().code, "359152");
        assert!(matches!(contents.hotp_next(ids[1], 0), Err(Error::NotHotp)));
        contents.accounts[0].params.counter = u64::MAX;
        assert!(matches!(
            contents.hotp_next(ids[0], 0),
            Err(Error::InvalidCounter(_))
        ));
    }
}
