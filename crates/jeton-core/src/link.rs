//! What a scanned or pasted text is: one account's link, or one QR code of a
//! Google Authenticator transfer. Decided here once, so the app and the CLI (and
//! the import of a text file) never disagree about it.

use crate::account::Account;
use crate::error::Result;
use crate::migration::{self, MigrationPart};

/// A link, read.
#[derive(Debug)]
pub enum Link {
    /// An `otpauth://` or `steam://` link: one account.
    Account(Box<Account>),
    /// One QR code of an `otpauth-migration://` transfer.
    TransferPart(MigrationPart),
}

/// The scheme of a transfer link.
pub const TRANSFER_SCHEME: &str = "otpauth-migration://";

/// True when `text` is (meant to be) a Google Authenticator transfer link.
pub fn is_transfer(text: &str) -> bool {
    text.trim_start()
        .get(..TRANSFER_SCHEME.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(TRANSFER_SCHEME))
}

/// Reads a link of either kind.
pub fn parse(text: &str) -> Result<Link> {
    if is_transfer(text) {
        migration::parse_link(text).map(Link::TransferPart)
    } else {
        crate::uri::parse(text).map(|a| Link::Account(Box::new(a)))
    }
}
