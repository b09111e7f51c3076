//! "Show QR code" and "Show key": the one place an account's secret reaches the
//! page, so the user can move the account to another authenticator by hand.
//!
//! It is its own command behind its own capability (`capabilities/reveal.json`),
//! called only after the page asked the user to confirm; the page hides what it
//! shows after 60 s or when the window loses focus. Every other reply stays free
//! of secrets.

use jeton_core::uri;
use serde::Serialize;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::qr::{self, QrMatrix};
use crate::{AppError, VaultState};

/// An account's secret, as a QR code to scan and as the Base32 key to type.
#[derive(Serialize)]
pub struct Revealed {
    /// The account's `otpauth://` link as a QR code.
    qr: QrMatrix,
    /// The Base32 key in groups of four ("JBSW Y3DP …").
    key: Zeroizing<String>,
}

/// The secret of account `id` (in use).
pub fn reveal(vault: &VaultState, id: Uuid) -> Result<Revealed, AppError> {
    let (link, key) = vault.with(|v| {
        let account = v.in_use(id)?;
        Ok((uri::to_uri(account), grouped(&account.secret.to_base32())))
    })?;
    Ok(Revealed {
        qr: qr::matrix(link.as_bytes())?,
        key,
    })
}

/// "ABCDEFGH" -> "ABCD EFGH".
pub(crate) fn grouped(base32: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(base32.len() + base32.len() / 4));
    for (i, c) in base32.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_grouped_by_four() {
        assert_eq!(*super::grouped("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        assert_eq!(*super::grouped("ABCDE"), "ABCD E");
    }
}
