//! `jeton import`, `export`, `backup` and `recover`: thin over `jeton_core::backup`.
//!
//! Passwords come from `--password-file` (first line) or a no-echo prompt on the
//! terminal, never from argv; a new password is asked twice. JSON shapes are a
//! contract (README "Command line").

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Subcommand};
use jeton_core::backup::auto::BackupStatus;
use jeton_core::backup::export::{self, ExportFormat};
use jeton_core::backup::{self, limits, BackupError, ImportEntry};
use jeton_core::keychain::SystemKeychain;
use jeton_core::settings::{Settings, DEFAULT_KEEP};
use jeton_core::vault::default_data_dir;
use jeton_core::Account;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::{open, print_json, report_backup, text, CliResult};

/// `jeton import`.
#[derive(Args)]
pub struct ImportArgs {
    /// The export file of Jeton or another authenticator.
    file: PathBuf,
    /// Read it as this format instead of recognising it from the content.
    #[arg(long)]
    format: Option<String>,
    /// A file whose first line is the file's password.
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// Show what would be added, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print one JSON object: {format, entries, added, duplicates, skipped}.
    #[arg(long)]
    json: bool,
}

/// `jeton export`.
#[derive(Args)]
pub struct ExportArgs {
    /// jeton (encrypted backup), aegis (encrypted), aegis-plain, otpauth, google.
    #[arg(long)]
    format: String,
    /// The file to write (for google: a folder, receiving transfer-1-of-N.png…).
    #[arg(long)]
    output: PathBuf,
    /// A file whose first line is the password to protect the export with.
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// Confirms that an unencrypted format may hold the keys unprotected.
    #[arg(long)]
    unencrypted: bool,
}

/// `jeton backup …`.
#[derive(Subcommand)]
pub enum BackupCommand {
    /// Turn on automatic backups into DIR (a synced folder is ideal).
    Configure {
        /// The folder to write backups to.
        #[arg(long)]
        dir: PathBuf,
        /// How many backups to keep (the newest).
        #[arg(long, default_value_t = DEFAULT_KEEP)]
        keep: usize,
        /// A file whose first line is the backup password.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Write a backup now.
    Now,
    /// Where backups go and how the last one went.
    Status {
        /// Print {dir, keep, last_backup: {path, time, accounts} | null, last_error}.
        #[arg(long)]
        json: bool,
    },
}

/// `jeton recover`.
#[derive(Args)]
pub struct RecoverArgs {
    /// The backup to restore from.
    backup: PathBuf,
    /// A file whose first line is the backup's password.
    #[arg(long)]
    password_file: Option<PathBuf>,
}

/// Names in the JSON reports.
#[derive(Serialize)]
struct Named {
    issuer: String,
    account: String,
}

#[derive(Serialize)]
struct Skipped {
    issuer: String,
    account: String,
    reason: String,
}

#[derive(Serialize)]
struct ImportReport {
    format: &'static str,
    entries: usize,
    added: Vec<Named>,
    duplicates: Vec<Named>,
    skipped: Vec<Skipped>,
}

fn named(account: &Account) -> Named {
    Named {
        issuer: account.issuer.clone(),
        account: account.name.clone(),
    }
}

fn skipped(entries: &[ImportEntry]) -> Vec<Skipped> {
    entries
        .iter()
        .filter_map(|e| {
            e.outcome.as_ref().err().map(|reason| Skipped {
                issuer: e.issuer.clone(),
                account: e.account.clone(),
                reason: reason.to_string(),
            })
        })
        .collect()
}

/// Reads a file to import, refusing what is larger than any real export.
fn read_input(path: &Path) -> Result<Zeroizing<Vec<u8>>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(limits::MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    limits::check_size(bytes.len() as u64).map_err(text)?;
    Ok(bytes)
}

/// The password: the first line of `file`, else asked on the terminal (twice when
/// it protects something new).
fn password(file: Option<&Path>, prompt: &str, new: bool) -> Result<Zeroizing<String>, String> {
    if let Some(file) = file {
        let mut content = Zeroizing::new(Vec::new());
        std::fs::File::open(file)
            .and_then(|f| {
                f.take(crate::MAX_SECRET_LINE_BYTES as u64 + 2)
                    .read_to_end(&mut content)
            })
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let first = crate::first_line(&content, "the password line")
            .map_err(|e| format!("{}: {e}", file.display()))?;
        return Ok(Zeroizing::new(first));
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "{prompt}: give --password-file PATH (no terminal to ask on)"
        ));
    }
    let first = Zeroizing::new(rpassword::prompt_password(format!("{prompt}: ")).map_err(text)?);
    if new {
        let again = Zeroizing::new(rpassword::prompt_password("Again: ").map_err(text)?);
        if *first != *again {
            return Err("the two passwords differ; nothing was changed".into());
        }
    }
    Ok(first)
}

/// Reads a file to import, asking for its password only when it is encrypted.
fn read_import(
    bytes: &[u8],
    format: Option<&str>,
    password_file: Option<&Path>,
) -> Result<(backup::Imported, Option<Zeroizing<String>>), String> {
    let given = password_file
        .map(|f| password(Some(f), "Password", false))
        .transpose()?;
    match backup::read(bytes, format, given.as_deref().map(String::as_str)) {
        Err(BackupError::PasswordNeeded) if given.is_none() => {
            let asked = password(None, "This file is encrypted. Its password", false)?;
            let imported = backup::read(bytes, format, Some(&asked)).map_err(text)?;
            Ok((imported, Some(asked)))
        }
        other => other.map(|i| (i, given)).map_err(text),
    }
}

/// `jeton import FILE …`.
pub fn import(args: ImportArgs) -> CliResult {
    let bytes = read_input(&args.file)?;
    let (imported, _) = read_import(
        &bytes,
        args.format.as_deref(),
        args.password_file.as_deref(),
    )
    .map_err(|e| format!("{}: {e}", args.file.display()))?;
    let format = imported.format;
    let entries = imported.entries.len();
    let skipped_entries = skipped(&imported.entries);
    let mut vault = open()?;
    let accounts = imported.into_accounts();
    let (added, duplicates) = if args.dry_run {
        let duplicates = vault.duplicates_among(accounts.iter());
        let (dup, new): (Vec<_>, Vec<_>) = accounts
            .iter()
            .zip(duplicates)
            .partition(|(_, duplicate)| duplicate.is_some());
        (
            new.into_iter().map(|(a, _)| named(a)).collect::<Vec<_>>(),
            dup.into_iter().map(|(a, _)| named(a)).collect::<Vec<_>>(),
        )
    } else {
        let report = vault.add_new(accounts).map_err(text)?;
        report_backup(&mut vault);
        let added = report
            .added
            .iter()
            .map(|a| Named {
                issuer: a.issuer.clone(),
                account: a.account.clone(),
            })
            .collect();
        (
            added,
            report.duplicates.iter().map(|(a, _)| named(a)).collect(),
        )
    };
    let report = ImportReport {
        format,
        entries,
        added,
        duplicates,
        skipped: skipped_entries,
    };
    if args.json {
        return print_json(&report);
    }
    let verb = if args.dry_run { "Would add" } else { "Added" };
    println!(
        "{verb} {} of {} entries from {format} ({} already in Jeton, {} unreadable)",
        report.added.len(),
        report.entries,
        report.duplicates.len(),
        report.skipped.len()
    );
    for n in &report.duplicates {
        println!("  already in Jeton: {}", label(n));
    }
    for s in &report.skipped {
        println!(
            "  skipped: {}: {}",
            label(&Named {
                issuer: s.issuer.clone(),
                account: s.account.clone()
            }),
            s.reason
        );
    }
    Ok(())
}

fn label(n: &Named) -> String {
    match (n.issuer.is_empty(), n.account.is_empty()) {
        (false, false) => format!("{}: {}", n.issuer, n.account),
        (false, true) => n.issuer.clone(),
        _ => n.account.clone(),
    }
}

/// `jeton export --format F --output PATH …`.
pub fn export(args: ExportArgs) -> CliResult {
    let format = ExportFormat::parse(&args.format).map_err(text)?;
    if format.is_plain() && !args.unencrypted {
        return Err(format!(
            "the {} format holds your keys unprotected: anyone with the file can make your codes. \
             Add --unencrypted to write it anyway, or use --format jeton or aegis",
            format.name()
        ));
    }
    let vault = open()?;
    let password = if format.is_plain() {
        None
    } else {
        let password = password(
            args.password_file.as_deref(),
            "Password to protect the export",
            true,
        )?;
        jeton_core::backup::jeton::check_new_password(&password).map_err(text)?;
        Some(password)
    };
    let accounts = match format {
        ExportFormat::Jeton => vault.all_accounts(),
        _ => vault.accounts(),
    };
    let exported =
        export::export(format, &accounts, password.as_deref().map(String::as_str)).map_err(text)?;
    for (label, reason) in &exported.left_out {
        eprintln!("jeton: warning: {label} left out: {reason}");
    }
    if format == ExportFormat::Google {
        write_transfer_codes(&args.output, &exported.parts)?;
    } else {
        let bytes = exported.parts.first().ok_or("nothing to export")?;
        write_private(&args.output, bytes)?;
        println!(
            "Exported {} accounts to {}",
            accounts.len() - exported.left_out.len(),
            args.output.display()
        );
    }
    if format.is_plain() {
        eprintln!(
            "jeton: warning: {} holds your keys UNPROTECTED: keep it safe and delete it once used",
            args.output.display()
        );
    }
    Ok(())
}

/// Writes a file only the user can read, atomically.
fn write_private(path: &Path, bytes: &[u8]) -> CliResult {
    jeton_core::vault::write_file_atomically(path, bytes).map_err(text)
}

/// `PATH/transfer-1-of-N.png`, one QR code image per transfer link.
fn write_transfer_codes(dir: &Path, links: &[Zeroizing<Vec<u8>>]) -> CliResult {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let total = links.len();
    for (i, link) in links.iter().enumerate() {
        let code = qrcode::QrCode::with_error_correction_level(link.as_slice(), qrcode::EcLevel::M)
            .map_err(text)?;
        let png = qr_png(&code)?;
        let path = dir.join(format!("transfer-{}-of-{total}.png", i + 1));
        write_private(&path, &png)?;
        println!("{}", path.display());
    }
    if total == 0 {
        return Err("no account can travel in a Google Authenticator transfer".into());
    }
    Ok(())
}

/// A QR code as a PNG: 8 pixels a module and the 4-module quiet zone.
fn qr_png(code: &qrcode::QrCode) -> Result<Zeroizing<Vec<u8>>, String> {
    const SCALE: u32 = 8;
    const QUIET: u32 = 4;
    let width = u32::try_from(code.width()).map_err(text)?;
    let size = (width + 2 * QUIET) * SCALE;
    let colors = code.to_colors();
    let image = image::GrayImage::from_fn(size, size, |x, y| {
        let (mx, my) = (x / SCALE, y / SCALE);
        let dark = mx >= QUIET
            && my >= QUIET
            && mx < width + QUIET
            && my < width + QUIET
            && colors[((my - QUIET) * width + (mx - QUIET)) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut png = Zeroizing::new(Vec::new());
    image::DynamicImage::ImageLuma8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut *png),
            image::ImageFormat::Png,
        )
        .map_err(text)?;
    Ok(png)
}

/// `jeton backup …`.
pub fn backup(command: BackupCommand) -> CliResult {
    match command {
        BackupCommand::Configure {
            dir,
            keep,
            password_file,
        } => {
            let password = password(password_file.as_deref(), "Backup password", true)?;
            let data_dir = default_data_dir().map_err(text)?;
            let settings = jeton_core::backup::auto::configure(
                &data_dir,
                &SystemKeychain,
                &dir,
                keep,
                &password,
            )
            .map_err(text)?;
            let mut vault = open()?;
            let record = vault.backup_now().map_err(text)?;
            println!(
                "Automatic backups on: after every change, into {} (keeping the newest {})",
                settings.dir.display(),
                settings.keep
            );
            if let Some(record) = record {
                println!("First backup: {}", record.path.display());
            }
            Ok(())
        }
        BackupCommand::Now => {
            let mut vault = open()?;
            match vault.backup_now().map_err(text)? {
                Some(record) => {
                    println!("{}", record.path.display());
                    Ok(())
                }
                None => Err(BackupError::NotConfigured.to_string()),
            }
        }
        BackupCommand::Status { json } => status(json),
    }
}

#[derive(Serialize)]
struct StatusJson {
    dir: Option<PathBuf>,
    keep: Option<usize>,
    last_backup: Option<jeton_core::backup::auto::BackupRecord>,
    last_error: Option<String>,
}

fn status(json: bool) -> CliResult {
    let data_dir = default_data_dir().map_err(text)?;
    let settings = Settings::load(&data_dir).map_err(text)?;
    let status = BackupStatus::load(&data_dir);
    let report = StatusJson {
        dir: settings.backup.as_ref().map(|b| b.dir.clone()),
        keep: settings.backup.as_ref().map(|b| b.keep),
        last_backup: status.last_backup,
        last_error: status.last_error,
    };
    if json {
        return print_json(&report);
    }
    match &report.dir {
        None => {
            println!("Automatic backups are off: `jeton backup configure --dir DIR` turns them on")
        }
        Some(dir) => println!(
            "Automatic backups into {} (keeping the newest {})",
            dir.display(),
            report.keep.unwrap_or(DEFAULT_KEEP)
        ),
    }
    if let Some(last) = &report.last_backup {
        println!(
            "Last backup: {} ({} accounts, at {})",
            last.path.display(),
            last.accounts,
            last.time
        );
    }
    if let Some(error) = &report.last_error {
        println!("LAST BACKUP FAILED: {error}");
    }
    Ok(())
}

/// `jeton recover BACKUP`.
pub fn recover(args: RecoverArgs) -> CliResult {
    let bytes = read_input(&args.backup)?;
    let data_dir = default_data_dir().map_err(text)?;
    let password = match args.password_file.as_deref() {
        Some(file) => Some(password(Some(file), "Password", false)?),
        None if jeton_core::backup::jeton::read_header(&bytes).is_ok() => {
            Some(password(None, "Backup password", false)?)
        }
        None => None,
    };
    let mut recovered = jeton_core::backup::recover::recover(
        &data_dir,
        Arc::new(SystemKeychain),
        &bytes,
        password.as_deref().map(String::as_str),
    )
    .map_err(|e| format!("{}: {e}", args.backup.display()))?;
    if let Some(aside) = &recovered.moved_aside {
        println!(
            "The unreadable vault was kept as {} (it was not deleted)",
            aside.display()
        );
    }
    println!(
        "Restored {} accounts from {}",
        recovered.report.added.len(),
        args.backup.display()
    );
    for s in skipped(&recovered.skipped) {
        println!("  skipped: {} {}: {}", s.issuer, s.account, s.reason);
    }
    report_backup(&mut recovered.vault);
    Ok(())
}
