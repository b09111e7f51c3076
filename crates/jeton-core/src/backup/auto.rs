//! Automatic backups after every change to the vault.
