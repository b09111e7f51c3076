//! Jeton's domain core, with no Tauri dependency so it builds and tests without a
//! webview: OTP codes, `otpauth://` links, Google Authenticator transfers, and the
//! encrypted vault whose key lives in the OS keychain.

pub mod account;
pub mod backup;
pub mod error;
pub mod keychain;
pub mod link;
pub mod migration;
pub mod otp;
pub mod process;
pub mod settings;
pub mod uri;
pub mod vault;

pub use account::{Account, AccountSummary, CodeView, Warning};
pub use error::{Error, Result};
pub use otp::{Algorithm, Kind, OtpParams, Secret};
pub use vault::Vault;
