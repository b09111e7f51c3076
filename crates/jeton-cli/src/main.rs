//! `jeton`: the command-line client over the same vault as the app.
//!
//! The commands, flags and JSON shapes are a contract other tools depend on
//! (see README "Command line"): extend them, never rename them. Every failure is
//! one line on stderr and a non-zero exit; the vault is changed only by a complete,
//! atomic write in the core.

use std::io::{BufRead, IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod backups;
mod docs;
use jeton_core::link::Link;
use jeton_core::migration::{Batch, BatchProgress};
use jeton_core::otp::{self, group_digits};
use jeton_core::{uri, Account, Algorithm, Kind, OtpParams, Vault};
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "jeton",
    version,
    about = "Jeton: two-factor codes from your terminal"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add accounts from an otpauth:// link (`-` reads links from stdin, one per
    /// line), from the QR codes in an image, or from a secret typed by hand.
    Add(AddArgs),
    /// List the accounts in use.
    List {
        /// Print a JSON array of {id, issuer, account, kind, …}.
        #[arg(long)]
        json: bool,
    },
    /// Print current codes, with the seconds they have left.
    Code(CodeArgs),
    /// HOTP: advance the counter and print the new code.
    Next {
        /// Account id (or a unique prefix of it).
        id: String,
    },
    /// Change an account's issuer and/or account name.
    Rename {
        /// Account id (or a unique prefix of it).
        id: String,
        /// New issuer.
        #[arg(long)]
        issuer: Option<String>,
        /// New account name.
        #[arg(long)]
        account: Option<String>,
    },
    /// Move an account to the trash (recoverable with `restore`).
    Delete {
        /// Account id (or a unique prefix of it).
        id: String,
    },
    /// List the accounts in the trash.
    Trash {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Bring an account back from the trash.
    Restore {
        /// Account id (or a unique prefix of it).
        id: String,
    },
    /// Delete an account in the trash for good.
    Purge {
        /// Account id (or a unique prefix of it).
        id: String,
    },
    /// Add the accounts of an export file (Jeton backup, Aegis, 2FAS, andOTP,
    /// Bitwarden, Ente, Proton, Stratum, FreeOTP+, LastPass, Raivo, KeePass,
    /// otpauth:// or transfer links…), skipping those Jeton already has.
    Import(backups::ImportArgs),
    /// Write every account to a file another app (or Jeton) reads.
    Export(backups::ExportArgs),
    /// Automatic backups after every change.
    Backup {
        #[command(subcommand)]
        command: backups::BackupCommand,
    },
    /// Restore the accounts from a backup when the vault's key is lost (new
    /// machine, reset keychain): the unreadable vault is kept aside.
    Recover(backups::RecoverArgs),
    /// Print the text of every QR code found in images, or on the screens.
    Scan {
        /// One JSON line per image: {"file": PATH, "texts": [...]}
        /// ({"file": "screen", …} with --screen).
        #[arg(long)]
        json: bool,
        /// Capture every screen and read the QR codes shown on them.
        #[arg(long, conflicts_with = "images")]
        screen: bool,
        /// PNG, JPEG or WebP files.
        #[arg(required_unless_present = "screen")]
        images: Vec<PathBuf>,
    },
    /// Print the completion script of a shell (the package installs those of
    /// bash, zsh and fish).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the jeton(1) manual page (roff), or write it and one page per
    /// command to a folder: what the package installs.
    #[command(hide = true)]
    Man {
        /// Write jeton.1 and every jeton-COMMAND.1 to this folder instead.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Args)]
struct AddArgs {
    /// An otpauth:// link, or `-` to read links from stdin.
    #[arg(conflicts_with_all = ["secret", "image"])]
    uri: Option<String>,
    /// Add the otpauth accounts found in the QR codes of this image (repeat
    /// --image for several, e.g. every part of a Google Authenticator transfer).
    #[arg(long, conflicts_with = "secret")]
    image: Vec<PathBuf>,
    /// Issuer (with --secret).
    #[arg(long, requires = "secret")]
    issuer: Option<String>,
    /// Account name (with --secret).
    #[arg(long, requires = "secret")]
    account: Option<String>,
    /// Base32 secret; spaces and dashes are fine. `-` reads it from stdin (asked
    /// with echo off on a terminal), keeping it out of argv and shell history.
    #[arg(long)]
    secret: Option<String>,
    /// SHA1, SHA256 or SHA512.
    #[arg(long, requires = "secret")]
    algorithm: Option<String>,
    /// Code length.
    #[arg(long, requires = "secret")]
    digits: Option<u8>,
    /// Seconds per code (TOTP).
    #[arg(long, requires = "secret", conflicts_with = "hotp")]
    period: Option<u64>,
    /// Counter-based (HOTP) instead of time-based.
    #[arg(long, requires = "secret")]
    hotp: bool,
    /// Starting counter (HOTP).
    #[arg(long, requires = "hotp")]
    counter: Option<u64>,
    /// Steam Guard (5-character codes).
    #[arg(long, requires = "secret", conflicts_with_all = ["hotp", "digits", "algorithm", "period"])]
    steam: bool,
}

#[derive(Args)]
struct CodeArgs {
    /// Only accounts whose issuer or name contains this (case-insensitive).
    query: Option<String>,
    /// Print JSON: an array of {id, issuer, account, kind, code, next_code, …}.
    #[arg(long)]
    json: bool,
    /// Compute the code of this otpauth:// link without touching the vault (`-`
    /// reads the link from stdin).
    #[arg(long, conflicts_with = "query")]
    uri: Option<String>,
    /// With --uri: the Unix time (seconds) to compute the code for.
    #[arg(long, requires = "uri")]
    at: Option<u64>,
}

fn main() -> ExitCode {
    if let Err(error) = jeton_core::process::forbid_memory_reading() {
        eprintln!("jeton: warning: could not protect this process's memory: {error}");
    }
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("jeton: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Errors are reduced to their one-line message here, at the edge.
pub(crate) type CliResult = Result<(), String>;

fn run(cli: Cli) -> CliResult {
    match cli.command {
        Command::Add(args) => add(args),
        Command::List { json } => print_summaries(open()?.accounts(), json),
        Command::Code(args) => code(args),
        Command::Next { id } => {
            let mut vault = open()?;
            let id = vault.find(&id).map_err(text)?.id;
            let view = vault.hotp_next(id).map_err(text)?;
            report_backup(&mut vault);
            println!("{}", view.code);
            Ok(())
        }
        Command::Rename {
            id,
            issuer,
            account,
        } => {
            let mut vault = open()?;
            let current = vault.find(&id).map_err(text)?.clone();
            if issuer.is_none() && account.is_none() {
                return Err("give --issuer and/or --account".into());
            }
            let issuer = issuer.unwrap_or(current.issuer);
            let account = account.unwrap_or(current.name);
            vault.rename(current.id, &issuer, &account).map_err(text)?;
            report_backup(&mut vault);
            println!("Renamed {} to {}", current.id, label(&issuer, &account));
            Ok(())
        }
        Command::Delete { id } => {
            let mut vault = open()?;
            let account = vault.find(&id).map_err(text)?.clone();
            vault.delete(account.id).map_err(text)?;
            report_backup(&mut vault);
            println!(
                "Moved {} to the trash; `jeton restore {}` brings it back",
                account.label(),
                account.id
            );
            Ok(())
        }
        Command::Trash { json } => print_summaries(open()?.trash(), json),
        Command::Restore { id } => {
            let mut vault = open()?;
            let account = vault.find_in_trash(&id).map_err(text)?.clone();
            vault.restore(account.id).map_err(text)?;
            report_backup(&mut vault);
            println!("Restored {}", account.label());
            Ok(())
        }
        Command::Purge { id } => {
            let mut vault = open()?;
            let account = vault.find_in_trash(&id).map_err(text)?.clone();
            vault.purge(account.id).map_err(text)?;
            report_backup(&mut vault);
            println!("Deleted {} for good", account.label());
            Ok(())
        }
        Command::Import(args) => backups::import(args),
        Command::Export(args) => backups::export(args),
        Command::Backup { command } => backups::backup(command),
        Command::Recover(args) => backups::recover(args),
        Command::Scan {
            json, screen: true, ..
        } => scan_screen(json),
        Command::Scan { json, images, .. } => scan(json, &images),
        Command::Completions { shell } => docs::completions(shell),
        Command::Man { dir: None } => docs::man_page(),
        Command::Man { dir: Some(dir) } => docs::man_pages(&dir),
    }
}

pub(crate) fn open() -> Result<Vault, String> {
    Vault::open_default().map_err(|error| {
        if jeton_core::backup::recover::is_unreadable(&error) {
            format!(
                "{error}. If that key is lost for good, `jeton recover BACKUP` restores your \
                 accounts from a backup (the unreadable vault is kept aside)"
            )
        } else {
            error.to_string()
        }
    })
}

pub(crate) fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// Says loudly when the automatic backup after a change failed (the change itself
/// is saved).
pub(crate) fn report_backup(vault: &mut Vault) {
    if let Some(Err(error)) = vault.take_backup_outcome() {
        eprintln!(
            "jeton: WARNING: the automatic backup FAILED: {error}. Your change is saved in the \
             vault; fix the backup folder, then run `jeton backup now`"
        );
    }
}

fn shown(text: &str) -> &str {
    if text.is_empty() {
        "-"
    } else {
        text
    }
}

fn label(issuer: &str, account: &str) -> String {
    match (issuer.is_empty(), account.is_empty()) {
        (false, false) => format!("{issuer}: {account}"),
        (false, true) => issuer.to_string(),
        _ => account.to_string(),
    }
}

/// `list` and `trash`: one line per account, or a JSON array of summaries.
fn print_summaries(accounts: Vec<&Account>, json: bool) -> CliResult {
    let summaries: Vec<_> = accounts.iter().map(|a| a.summary()).collect();
    if json {
        return print_json(&summaries);
    }
    for a in summaries {
        println!(
            "{}  {}  {}  {}",
            a.id,
            shown(&a.issuer),
            shown(&a.account),
            a.kind.as_str()
        );
    }
    Ok(())
}

pub(crate) fn print_json(value: &impl Serialize) -> CliResult {
    let json = serde_json::to_string_pretty(value).map_err(text)?;
    println!("{json}");
    Ok(())
}

fn add(args: AddArgs) -> CliResult {
    let accounts = if let Some(secret) = &args.secret {
        vec![manual_account(&args, secret)?]
    } else if !args.image.is_empty() {
        // The QR payloads hold the keys: wiped once parsed.
        let mut texts = zeroize::Zeroizing::new(Vec::new());
        for image in &args.image {
            let found = jeton_scan::scan_image_file(image)
                .map_err(|e| format!("{}: {e}", image.display()))?;
            texts.extend(found);
        }
        let accounts = accounts_from_links(texts.iter().map(String::as_str));
        match &args.image[..] {
            [one] => accounts.map_err(|e| format!("{}: {e}", one.display()))?,
            _ => accounts?,
        }
    } else {
        match args.uri.as_deref() {
            Some("-") => {
                // The links hold the keys: wiped once parsed.
                let mut input = zeroize::Zeroizing::new(Vec::new());
                std::io::stdin()
                    .take(MAX_STDIN_LINKS_BYTES as u64 + 1)
                    .read_to_end(&mut input)
                    .map_err(|e| format!("could not read stdin: {e}"))?;
                if input.len() > MAX_STDIN_LINKS_BYTES {
                    return Err(format!(
                        "stdin holds more than {MAX_STDIN_LINKS_BYTES} bytes of links; nothing \
                         was added (import a file of that size with `jeton import`)"
                    ));
                }
                let text = std::str::from_utf8(&input)
                    .map_err(|_| "stdin is not UTF-8 text; nothing was added".to_string())?;
                accounts_from_links(text.lines())?
            }
            Some(link) => accounts_from_links(std::iter::once(link))?,
            None => {
                return Err(
                    "give an otpauth:// link, `-` (stdin), --image FILE, or --secret".into(),
                )
            }
        }
    };
    let mut vault = open()?;
    let warnings: Vec<_> = accounts.iter().map(|a| (a.id, a.warnings())).collect();
    let report = vault.add_new(accounts).map_err(text)?;
    report_backup(&mut vault);
    if report.added.is_empty() {
        if let Some((account, id)) = report.duplicates.first() {
            return Err(jeton_core::Error::Duplicate {
                id: *id,
                issuer_account: vault
                    .find(&id.to_string())
                    .map_or_else(|_| account.label(), |a| a.label()),
            }
            .to_string());
        }
    }
    for added in &report.added {
        let label = label(&added.issuer, &added.account);
        println!("Added {label} ({})", added.id);
        let mine = warnings.iter().find(|(id, _)| *id == added.id);
        for warning in mine.map(|(_, w)| w.as_slice()).unwrap_or_default() {
            eprintln!("jeton: warning: {label}: {warning}");
        }
    }
    for (account, id) in &report.duplicates {
        eprintln!(
            "jeton: note: {} is already in Jeton ({id}): not added again",
            account.label()
        );
    }
    Ok(())
}

/// Most bytes of links read from stdin: 1 MiB. A whole Google transfer (ten QR
/// codes) is 70 KB and 1,000 otpauth:// lines about 100 KB.
const MAX_STDIN_LINKS_BYTES: usize = 1 << 20;

/// Longest line a key, a link or a password may be: 64 KiB, nine times the
/// longest QR code's text; a longer line is refused, not cut.
pub(crate) const MAX_SECRET_LINE_BYTES: usize = 64 * 1024;

/// One line from stdin, or asked with echo off on a terminal: a key or a link
/// never needs to be in argv (readable by other users in /proc) or shell history.
fn read_secret(prompt: &str) -> Result<zeroize::Zeroizing<String>, String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("{prompt}: "))
            .map(zeroize::Zeroizing::new)
            .map_err(text);
    }
    let mut line = zeroize::Zeroizing::new(Vec::new());
    std::io::stdin()
        .lock()
        .take(MAX_SECRET_LINE_BYTES as u64 + 2)
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("could not read stdin: {e}"))?;
    let line = zeroize::Zeroizing::new(
        first_line(&line, "the line on stdin").map_err(|e| format!("{prompt}: {e}"))?,
    );
    Ok(zeroize::Zeroizing::new(line.trim().to_string()))
}

/// The first line of `bytes` without its line break (spaces are kept: they may
/// be part of a password), refused when longer than [`MAX_SECRET_LINE_BYTES`] or
/// not UTF-8 text.
pub(crate) fn first_line(bytes: &[u8], what: &str) -> Result<String, String> {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() > MAX_SECRET_LINE_BYTES {
        return Err(format!(
            "{what} is longer than {MAX_SECRET_LINE_BYTES} bytes"
        ));
    }
    std::str::from_utf8(line)
        .map(str::to_string)
        .map_err(|_| format!("{what} is not UTF-8 text"))
}

/// Accounts from the non-empty lines given; any bad line fails the whole add.
///
/// Google Authenticator transfer links (`otpauth-migration://`) are gathered
/// into one [`Batch`]: a multi-QR export is added only once every part is
/// there, and the error names the parts still missing.
fn accounts_from_links<'a>(links: impl Iterator<Item = &'a str>) -> Result<Vec<Account>, String> {
    let mut accounts = Vec::new();
    let mut batch = Batch::default();
    let mut has_transfer = false;
    for link in links.map(str::trim).filter(|l| !l.is_empty()) {
        match jeton_core::link::parse(link).map_err(text)? {
            Link::TransferPart(part) => {
                batch.add(part).map_err(text)?;
                has_transfer = true;
            }
            Link::Account(account) => accounts.push(*account),
        }
    }
    if has_transfer {
        if !batch.is_complete() {
            return Err(incomplete_transfer(&batch.progress()));
        }
        accounts.extend(batch.take_accounts());
    }
    if accounts.is_empty() {
        return Err("no otpauth:// link found".into());
    }
    Ok(accounts)
}

/// "Google Authenticator transfer incomplete: 1 of 3 QR codes, missing 2 and 3 …".
fn incomplete_transfer(progress: &BatchProgress) -> String {
    let missing: Vec<String> = progress.missing.iter().map(u32::to_string).collect();
    let missing = match missing.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!(
        "Google Authenticator transfer incomplete: {} of {} QR codes given, missing part(s) {missing}; \
         nothing was added: give every part at once (--image for each, or all links on stdin)",
        progress.scanned, progress.total
    )
}

fn manual_account(args: &AddArgs, secret: &str) -> Result<Account, String> {
    let secret = if secret == "-" {
        uri::parse_manual_secret(&read_secret("Secret key")?)
    } else {
        uri::parse_manual_secret(secret)
    }
    .map_err(text)?;
    let mut params = if args.steam {
        OtpParams::steam()
    } else if args.hotp {
        OtpParams {
            kind: Kind::Hotp,
            counter: args.counter.unwrap_or(0),
            ..OtpParams::default()
        }
    } else {
        OtpParams::default()
    };
    if let Some(algorithm) = &args.algorithm {
        params.algorithm = Algorithm::parse(algorithm).map_err(text)?;
    }
    if let Some(digits) = args.digits {
        params.digits = digits;
    }
    if let Some(period) = args.period {
        params.period = period;
    }
    Account::new(
        args.issuer.as_deref().unwrap_or(""),
        args.account.as_deref().unwrap_or(""),
        secret,
        params,
    )
    .map_err(text)
}

fn code(args: CodeArgs) -> CliResult {
    let now = otp::now();
    if let Some(link) = &args.uri {
        let account = if link == "-" {
            uri::parse(&read_secret("otpauth link")?)
        } else {
            uri::parse(link)
        }
        .map_err(text)?;
        let at = args.at.unwrap_or(now);
        let view = account.code_view(at).map_err(text)?;
        if args.json {
            return print_json(&view);
        }
        println!("{}", view.code);
        return Ok(());
    }
    let vault = open()?;
    let views = vault
        .code_views(args.query.as_deref().unwrap_or(""), now)
        .map_err(text)?;
    if args.json {
        return print_json(&views);
    }
    if views.is_empty() {
        return Err(match args.query {
            Some(query) => format!("no account matches {query:?}"),
            None => "no accounts yet: add one with `jeton add otpauth://…`".into(),
        });
    }
    let width = views
        .iter()
        .map(|v| label(&v.issuer, &v.account).chars().count())
        .max()
        .unwrap_or(0);
    let plain = !std::io::stdout().is_terminal();
    for view in views {
        let name = label(&view.issuer, &view.account);
        let code = if plain {
            view.code.clone()
        } else {
            group_digits(&view.code)
        };
        let remaining = match (view.seconds_left, view.counter) {
            (Some(left), _) => format!("{left:>3}s"),
            (None, Some(counter)) => format!("#{counter}"),
            _ => String::new(),
        };
        println!("{name:<width$}  {code:>10}  {remaining}");
    }
    Ok(())
}

fn scan(json: bool, images: &[PathBuf]) -> CliResult {
    let mut failures = 0;
    for image in images {
        let result = jeton_scan::scan_image_file(image);
        print_scan(json, &image.display().to_string(), &result);
        failures += usize::from(result.is_err());
    }
    if failures == images.len() {
        return Err(format!("no QR code read in {failures} image(s)"));
    }
    Ok(())
}

/// `jeton scan --screen`: one result, named "screen", for all monitors together;
/// its JSON line also says how the screens were captured (`"capture"`: `"direct"`
/// or `"portal"`), and without `--json` stderr says so when it was the portal.
fn scan_screen(json: bool) -> CliResult {
    let scanned = jeton_core::process::while_identifiable(jeton_scan::scan_screens);
    let capture = scanned.as_ref().ok().map(|scan| scan.capture);
    let result = scanned.map(|scan| scan.texts);
    if json {
        let mut line = scan_line("screen", &result);
        if let Some(capture) = capture {
            line["capture"] = capture.code().into();
        }
        println!("{line}");
    } else if result.is_ok() {
        // A failure is only the one line `main` prints.
        print_scan(false, "screen", &result);
        if capture == Some(jeton_scan::ScreenCapture::Portal) {
            eprintln!("jeton: the screen was captured by the desktop's screenshot portal");
        }
    }
    match result {
        Ok(_) => Ok(()),
        Err(jeton_scan::ScanError::NoQrFound) => Err("no QR code found on the screen".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// Prints one scan result: the texts (one per line), or with `json` one line
/// `{"file": SOURCE, "texts": [...]}` plus `"error"` when it failed.
fn print_scan(json: bool, source: &str, result: &Result<Vec<String>, jeton_scan::ScanError>) {
    if json {
        println!("{}", scan_line(source, result));
    } else {
        match result {
            Ok(texts) => texts.iter().for_each(|t| println!("{t}")),
            Err(e) => eprintln!("jeton: {source}: {e}"),
        }
    }
}

/// One scan result as `--json` prints it: `{"file": SOURCE, "texts": [...]}`,
/// plus `"error"` when it failed.
fn scan_line(
    source: &str,
    result: &Result<Vec<String>, jeton_scan::ScanError>,
) -> serde_json::Value {
    let texts = result.as_ref().map(Vec::as_slice).unwrap_or_default();
    let mut line = serde_json::json!({ "file": source, "texts": texts });
    if let Err(e) = result {
        line["error"] = e.to_string().into();
    }
    line
}
