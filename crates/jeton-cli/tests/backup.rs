//! `jeton import`, `export`, `backup` and `recover`, run as a user runs them, against
//! a real Secret Service (`scripts/with-session`), the real export files of other
//! apps (`../shared/conformance`), and readers that are not Jeton: `zbarimg` and a
//! protobuf decoder written here for Google transfers, `oathtool` for otpauth lists,
//! and the Python script of docs/backup-format.md for Jeton backups.
//!
//! ```text
//! scripts/with-session -- cargo test -p jeton-cli --test backup
//! ```

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use support::{password_file, shared, Data};

const PASSWORD: &str = "correct horse battery staple";

/// Every fixture the import must read: (folder, file, password, added, skipped).
/// `added` counts accounts on a first import into an empty vault (entries sharing a
/// secret inside one file count once).
#[rustfmt::skip]
const FIXTURES: &[(&str, &str, Option<&str>, usize, usize)] = &[
    ("importers", "plain.txt", None, 7, 0),
    ("importers", "2fas_authenticator.json", None, 6, 0),
    ("importers", "2fas_authenticator_plain.2fas", None, 4, 0),
    ("importers", "2fas_authenticator_encrypted.2fas", Some("test"), 4, 0),
    ("importers", "2fas_authenticator_plain_v3.2fas", None, 6, 0),
    ("importers", "2fas_authenticator_encrypted_v3.2fas", Some("test"), 6, 0),
    ("importers", "2fas_authenticator_plain_v4.2fas", None, 5, 0),
    ("importers", "2fas_authenticator_encrypted_v4.2fas", Some("test"), 5, 0),
    ("importers", "aegis_plain.json", None, 7, 0),
    ("importers", "aegis_encrypted.json", Some("test"), 7, 0),
    ("importers/aegis_vault_test", "aegis_plain_grouped_v2.json", None, 7, 0),
    ("importers", "andotp_plain.json", None, 7, 0),
    ("importers", "andotp_encrypted.bin", Some("test"), 7, 0),
    ("importers", "andotp_encrypted_old.bin", Some("test"), 6, 0),
    ("importers", "authenticator_plus.zip", Some("testtesttest"), 7, 0),
    ("importers", "authy_plain.xml", None, 3, 0),
    ("importers", "authy_encrypted.xml", Some("testtest"), 3, 0),
    ("importers", "battle_net_authenticator.xml", None, 1, 0),
    ("importers", "bitwarden.json", None, 4, 0),
    ("importers", "bitwarden.csv", None, 4, 0),
    ("importers", "duo.json", None, 2, 0),
    ("importers", "ente_auth.txt", None, 7, 0),
    ("importers", "freeotp.xml", None, 4, 0),
    ("importers", "freeotp_plus.json", None, 6, 0),
    ("importers", "freeotp_v2_api23.xml", Some("test"), 6, 0),
    ("importers", "freeotp_v2_api25.xml", Some("test"), 6, 0),
    ("importers", "freeotp_v2_api27.xml", Some("test"), 6, 0),
    ("importers", "freeotp_v2_api34.xml", Some("test"), 6, 0),
    ("importers", "freeotp_v2_null_algo.xml", Some("test"), 1, 0),
    ("importers", "freeotp_plus_internal.xml", None, 6, 0),
    ("importers", "proton_authenticator.json", None, 3, 0),
    ("importers", "google_authenticator.sqlite", None, 6, 0),
    ("importers", "microsoft_authenticator.sqlite", None, 7, 0),
    ("importers", "stratum_internal.db", None, 7, 0),
    ("importers", "steam.json", None, 1, 0),
    ("importers", "steam_old.json", None, 1, 0),
    ("importers", "stratum_plain.json", None, 7, 0),
    ("importers", "stratum_encrypted.bin", Some("test"), 7, 0),
    ("importers", "stratum_encrypted_legacy.bin", Some("test"), 7, 0),
    ("importers", "totp_authenticator.bin", Some("Testtest1"), 3, 0),
    ("importers", "totp_authenticator_internal.xml", None, 3, 0),
    ("importers-more", "bitwarden_encrypted_pbkdf2.json", Some("a"), 1, 0),
    ("importers-more", "bitwarden_encrypted_argon2id.json", Some("a"), 1, 0),
    ("importers-more", "ente_encrypted_lowcomplexity.txt", Some("password"), 3, 0),
    ("importers-more", "ente_encrypted_lowcomplexity.plaintext.txt", None, 3, 0),
    ("importers-more", "keepass_aes256_argon2id.kdbx", Some("test"), 7, 0),
    ("importers-more", "lastpass_authenticator.json", None, 3, 0),
    ("importers-more", "proton_authenticator_encrypted_1231246.json", Some("1231246"), 4, 0),
    ("importers-more", "raivo_otp_export.zip", Some("RaivoTest123"), 0, 2),
    ("importers-more", "stratum_backup_strong.authpro", Some("test"), 7, 0),
];

fn fixture(folder: &str, file: &str) -> Option<PathBuf> {
    Some(shared("conformance")?.join(folder).join(file))
}

fn import_json(data: &Data, file: &Path, password: Option<&str>, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "import".to_string(),
        file.display().to_string(),
        "--json".into(),
    ];
    if let Some(password) = password {
        args.push("--password-file".into());
        args.push(password_file(dir.path(), password).display().to_string());
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    data.json(&args)
}

fn names(report: &Value, key: &str) -> usize {
    report[key].as_array().map_or(usize::MAX, Vec::len)
}

#[test]
fn every_fixture_imports_through_the_cli_and_a_second_import_adds_nothing() {
    let mut missing = Vec::new();
    for &(folder, file, password, added, skipped) in FIXTURES {
        let Some(path) = fixture(folder, file) else {
            return;
        };
        let data = Data::new();
        let dry = import_json(&data, &path, password, &["--dry-run"]);
        assert!(
            !data.vault_file().exists(),
            "{file}: --dry-run wrote a vault"
        );
        let first = import_json(&data, &path, password, &[]);
        for report in [&dry, &first] {
            if (names(report, "added"), names(report, "skipped")) != (added, skipped) {
                missing.push(format!("{file}: {report}"));
            }
        }
        assert_eq!(data.list().len(), added, "{file}: accounts in the vault");
        let again = import_json(&data, &path, password, &[]);
        assert_eq!(names(&again, "added"), 0, "{file}: second import {again}");
        assert_eq!(
            names(&again, "duplicates"),
            names(&first, "added") + names(&first, "duplicates"),
            "{file}: second import {again}"
        );
        assert!(first["format"].as_str().is_some_and(|f| !f.is_empty()));
        assert_eq!(
            first["entries"].as_u64(),
            Some((added + skipped + names(&first, "duplicates")) as u64),
            "{file}: {first}"
        );
    }
    assert!(
        missing.is_empty(),
        "unexpected imports:\n{}",
        missing.join("\n")
    );
}

#[test]
fn wrong_password_unknown_and_damaged_files_fail_and_change_nothing() {
    let Some(encrypted) = fixture("importers", "2fas_authenticator_encrypted_v4.2fas") else {
        return;
    };
    let data = Data::new();
    data.ok(&[
        "add",
        "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ]);
    let before = std::fs::read(data.vault_file()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wrong = password_file(dir.path(), "not the password");
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{\"hello\": [1, 2, 3]}").unwrap();
    let truncated = dir.path().join("truncated.2fas");
    let bytes = std::fs::read(&encrypted).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    for (args, says) in [
        (
            vec![
                "import",
                encrypted.to_str().unwrap(),
                "--password-file",
                wrong.to_str().unwrap(),
            ],
            "wrong password",
        ),
        (vec!["import", encrypted.to_str().unwrap()], "password"),
        (vec!["import", garbage.to_str().unwrap()], "unknown format"),
        (vec!["import", truncated.to_str().unwrap()], ""),
    ] {
        let out = data.cmd(&args).stdin(Stdio::null()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert_eq!(
            std::fs::read(data.vault_file()).unwrap(),
            before,
            "{args:?}"
        );
    }
}

/// The accounts' codes now, by "issuer: account".
fn codes(data: &Data) -> BTreeMap<String, String> {
    data.json(&["code", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                format!(
                    "{}: {}",
                    v["issuer"].as_str().unwrap(),
                    v["account"].as_str().unwrap()
                ),
                v["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every account as an otpauth link (names, key and parameters), sorted: equal
/// lists give equal codes at every moment, which comparing codes read at two
/// different times cannot tell across a period boundary.
fn links(data: &Data) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("links.txt");
    data.ok(&[
        "export",
        "--format",
        "otpauth",
        "--output",
        out.to_str().unwrap(),
        "--unencrypted",
    ]);
    let mut links: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    links.sort();
    links
}

/// A vault holding the 7 reference accounts of plain.txt (and two more made here).
fn sample_vault() -> Option<Data> {
    let plain = fixture("importers", "plain.txt")?;
    let data = Data::new();
    data.ok(&["import", plain.to_str().unwrap()]);
    data.ok(&[
        "add",
        "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=CCOMTL",
    ]);
    data.ok(&[
        "add",
        "otpauth://totp/OneGov%20GED:jean.tremblay%40gouv.qc.ca?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8",
    ]);
    Some(data)
}

#[test]
fn a_jeton_backup_decrypts_with_the_documented_script_to_every_account() {
    let Some(data) = sample_vault() else { return };
    let id = data.list()[0]["id"].as_str().unwrap().to_string();
    data.ok(&["delete", &id]);
    let dir = tempfile::tempdir().unwrap();
    let pw = password_file(dir.path(), PASSWORD);
    let out = dir.path().join("all.jetonbackup");
    data.ok(&[
        "export",
        "--format",
        "jeton",
        "--output",
        out.to_str().unwrap(),
        "--password-file",
        pw.to_str().unwrap(),
    ]);

    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/backup-format.md"),
    )
    .unwrap();
    let script = doc
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/backup-format.md ends with the Python script");
    let script_path = dir.path().join("backup-decrypt.py");
    std::fs::write(&script_path, script).unwrap();
    let python = support::python_venv(
        "backup-script-venv",
        &["argon2-cffi", "pynacl"],
        "import argon2, nacl.bindings",
    );
    let decrypt = |password: &str| {
        let mut child = Command::new(&python)
            .arg(&script_path)
            .arg(&out)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let wrong = decrypt("not it");
    assert!(
        !wrong.status.success(),
        "the script accepted a wrong password"
    );
    let decrypted = decrypt(PASSWORD);
    assert!(
        decrypted.status.success(),
        "{}",
        String::from_utf8_lossy(&decrypted.stderr)
    );
    let accounts: Value = serde_json::from_slice(&decrypted.stdout).unwrap();
    let accounts = accounts.as_array().unwrap();
    assert_eq!(accounts.len(), 9, "every account, the trashed one too");
    let trashed: Vec<_> = accounts
        .iter()
        .filter(|a| !a["deleted_at"].is_null())
        .collect();
    assert_eq!(trashed.len(), 1);
    assert_eq!(trashed[0]["id"], id.as_str());
    // The secrets and parameters give the codes Jeton shows (`code --uri` for the
    // trashed one would be the core again, so compare the accounts in use).
    let shown = codes(&data);
    for a in accounts.iter().filter(|a| a["deleted_at"].is_null()) {
        let link = format!(
            "otpauth://{}/x?secret={}&algorithm={}&digits={}&period={}&counter={}",
            a["type"].as_str().unwrap(),
            a["secret"].as_str().unwrap(),
            a["algorithm"].as_str().unwrap(),
            a["digits"],
            a["period"],
            a["counter"]
        );
        let name = format!(
            "{}: {}",
            a["issuer"].as_str().unwrap(),
            a["account"].as_str().unwrap()
        );
        let code = data.ok(&["code", "--uri", &link]);
        assert_eq!(
            Some(code.trim()),
            shown.get(&name).map(String::as_str),
            "{name}"
        );
    }
}

/// Reads one varint; returns it and the rest.
fn varint(bytes: &[u8]) -> (u64, &[u8]) {
    let mut value = 0u64;
    for (i, b) in bytes.iter().enumerate() {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return (value, &bytes[i + 1..]);
        }
    }
    panic!("truncated varint")
}

/// The fields of a protobuf message: (field number, varint or bytes).
fn fields(mut bytes: &[u8]) -> Vec<(u64, Result<u64, Vec<u8>>)> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let (key, rest) = varint(bytes);
        let (value, rest) = match key & 7 {
            0 => {
                let (v, rest) = varint(rest);
                (Ok(v), rest)
            }
            2 => {
                let (len, rest) = varint(rest);
                (Err(rest[..len as usize].to_vec()), &rest[len as usize..])
            }
            wire => panic!("unexpected wire type {wire}"),
        };
        out.push((key >> 3, value));
        bytes = rest;
    }
    out
}

#[test]
fn google_transfer_codes_read_by_zbarimg_carry_the_same_secrets() {
    let Some(data) = sample_vault() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("phone");
    data.ok(&[
        "export",
        "--format",
        "google",
        "--output",
        out.to_str().unwrap(),
        "--unencrypted",
    ]);
    let mut pngs: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pngs.sort();
    assert_eq!(pngs.len(), 1, "{pngs:?}");
    assert!(pngs[0].ends_with("transfer-1-of-1.png"));
    let zbar = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .args(&pngs)
        .output()
        .unwrap();
    let link = String::from_utf8(zbar.stdout).unwrap();
    let data_param = link.trim().split("data=").nth(1).expect("a transfer link");
    let base64: String = url_decode(data_param);
    let payload = data_encoding::BASE64.decode(base64.as_bytes()).unwrap();
    // Google carries only 30-second, 6- or 8-digit, non-Steam codes: of the sample,
    // Deno, Issuu, WWE (8 digits), CCOMTL and OneGov.
    let mut carried = BTreeMap::new();
    for (number, value) in fields(&payload) {
        if number != 1 {
            continue;
        }
        let entry: BTreeMap<u64, Result<u64, Vec<u8>>> =
            fields(&value.unwrap_err()).into_iter().collect();
        let text = |n| String::from_utf8(entry[&n].clone().unwrap_err()).unwrap();
        let secret = data_encoding::BASE32_NOPAD.encode(&entry[&1].clone().unwrap_err());
        carried.insert(text(3), (text(2), secret));
    }
    let issuers: Vec<&str> = carried.keys().map(String::as_str).collect();
    assert_eq!(issuers, ["CCOMTL", "Deno", "Issuu", "OneGov GED", "WWE"]);
    assert_eq!(
        carried["Deno"],
        ("Deno:Mason".into(), "4SJHB4GSD43FZBAI7C2HLRJGPQ".into())
    );
    assert_eq!(carried["WWE"].1, "5VAML3X35THCEBVRLV24CGBKOY");
    assert_eq!(carried["CCOMTL"].1, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
}

fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_plain_link_list_gives_the_codes_oathtool_computes() {
    let Some(data) = sample_vault() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("links.txt");
    let refused = data.run(&[
        "export",
        "--format",
        "otpauth",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(
        !refused.status.success() && !out.exists(),
        "a plain export needs --unencrypted"
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut checked = 0;
    for link in &links(&data) {
        let query: BTreeMap<String, String> = link
            .split_once('?')
            .unwrap()
            .1
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), url_decode(v))
            })
            .collect();
        let hotp = link.starts_with("otpauth://hotp/");
        if link.starts_with("otpauth://steam/") || (hotp && query["algorithm"] != "SHA1") {
            continue; // oathtool has no Steam codes, and its HOTP is SHA1 only.
        }
        let mut oath = Command::new("oathtool");
        oath.arg(if hotp {
            "--hotp".to_string()
        } else {
            format!("--totp={}", query["algorithm"].to_lowercase())
        })
        .args(["-b", "-d", &query["digits"]]);
        if hotp {
            oath.args(["-c", &query["counter"]]);
        } else {
            oath.args([
                "-s",
                &format!("{}s", query["period"]),
                "-N",
                &format!("@{now}"),
            ]);
        }
        oath.arg(&query["secret"]);
        let expected = String::from_utf8(oath.output().unwrap().stdout).unwrap();
        let at = now.to_string();
        let ours = data.ok(&["code", "--uri", link, "--at", &at]);
        assert_eq!(ours.trim(), expected.trim(), "{link}");
        checked += 1;
    }
    assert_eq!(
        checked, 6,
        "every account of the sample oathtool can compute"
    );
}

fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jetonbackup"))
        .collect();
    found.sort();
    found
}

#[test]
fn automatic_backups_follow_every_change_keep_the_newest_and_touch_nothing_else() {
    let data = Data::new();
    let folder = tempfile::tempdir().unwrap();
    let theirs = folder.path().join("holiday.jpg");
    std::fs::write(&theirs, b"not Jeton's").unwrap();
    let pw = password_file(data.0.path(), PASSWORD);
    let short = password_file(data.0.path(), "short");
    let refused = data.run(&[
        "backup",
        "configure",
        "--dir",
        folder.path().to_str().unwrap(),
        "--password-file",
        short.to_str().unwrap(),
    ]);
    assert!(
        !refused.status.success(),
        "a 5-character backup password is refused"
    );
    data.ok(&[
        "backup",
        "configure",
        "--dir",
        folder.path().to_str().unwrap(),
        "--keep",
        "3",
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    assert_eq!(
        backups_in(folder.path()).len(),
        1,
        "the first backup at set-up"
    );
    let added = data.ok(&[
        "add",
        "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ]);
    let id = added
        .split('(')
        .nth(1)
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_string();
    assert_eq!(backups_in(folder.path()).len(), 2);
    data.ok(&["rename", &id, "--account", "jean"]);
    assert_eq!(backups_in(folder.path()).len(), 3);
    data.ok(&[
        "add",
        "otpauth://totp/GitHub:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    ]);
    data.ok(&["delete", &id]);
    let backups = backups_in(folder.path());
    assert_eq!(backups.len(), 3, "only the newest 3 are kept: {backups:?}");
    assert_eq!(std::fs::read(&theirs).unwrap(), b"not Jeton's");
    #[cfg(unix)]
    for backup in &backups {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(backup).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", backup.display());
    }
    // The newest holds the latest state: both accounts, one in the trash, renamed.
    let newest = backups.last().unwrap();
    let status = data.json(&["backup", "status", "--json"]);
    assert_eq!(status["last_backup"]["path"], newest.to_str().unwrap());
    assert_eq!(status["last_backup"]["accounts"], 2);
    assert_eq!(status["keep"], 3);
    assert!(status["last_error"].is_null());
    let restored = Data::new();
    let report = import_json(&restored, newest, Some(PASSWORD), &[]);
    assert_eq!(report["format"], "jeton");
    assert_eq!(names(&report, "added"), 2);
    assert_eq!(restored.json(&["trash", "--json"])[0]["account"], "jean");
}

#[test]
fn a_failed_backup_is_reported_loudly_and_the_change_is_still_saved() {
    let data = Data::new();
    let folder = tempfile::tempdir().unwrap();
    let pw = password_file(data.0.path(), PASSWORD);
    data.ok(&[
        "backup",
        "configure",
        "--dir",
        folder.path().to_str().unwrap(),
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    let gone = folder.path().to_path_buf();
    drop(folder);
    assert!(!gone.exists());
    let out = data.run(&[
        "add",
        "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ]);
    assert!(out.status.success(), "the change itself succeeds");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("backup FAILED"), "{stderr}");
    assert_eq!(data.list().len(), 1);
    let status = data.json(&["backup", "status", "--json"]);
    assert!(
        status["last_error"]
            .as_str()
            .is_some_and(|e| e.contains(gone.to_str().unwrap())),
        "{status}"
    );
    let now = data.run(&["backup", "now"]);
    assert!(!now.status.success());
}

#[test]
fn recover_brings_every_account_back_after_the_keychain_entry_is_lost() {
    let Some(data) = sample_vault() else { return };
    let folder = tempfile::tempdir().unwrap();
    let pw = password_file(data.0.path(), PASSWORD);
    data.ok(&[
        "backup",
        "configure",
        "--dir",
        folder.path().to_str().unwrap(),
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    let id = data.list()[1]["id"].as_str().unwrap().to_string();
    data.ok(&["rename", &id, "--issuer", "SPDX renamed"]);
    let before = links(&data);
    let vault_bytes = std::fs::read(data.vault_file()).unwrap();
    let vault_id = uuid_of(&vault_bytes);
    let cleared = Command::new("secret-tool")
        .args([
            "clear",
            "service",
            "Jeton",
            "username",
            &format!("vault-{vault_id}"),
        ])
        .status()
        .unwrap();
    assert!(cleared.success());
    let locked_out = data.run(&["list"]);
    let stderr = String::from_utf8_lossy(&locked_out.stderr);
    assert!(
        !locked_out.status.success() && stderr.contains("jeton recover"),
        "{stderr}"
    );

    let newest = backups_in(folder.path()).pop().unwrap();
    let wrong = password_file(data.0.path(), "wrong password!");
    let refused = data.run(&[
        "recover",
        newest.to_str().unwrap(),
        "--password-file",
        wrong.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    assert_eq!(
        std::fs::read(data.vault_file()).unwrap(),
        vault_bytes,
        "a wrong password changes nothing"
    );

    let said = data.ok(&[
        "recover",
        newest.to_str().unwrap(),
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    assert!(said.contains("kept as"), "{said}");
    assert_eq!(
        links(&data),
        before,
        "every account back with the same keys and parameters, so the same codes"
    );
    let aside: Vec<_> = std::fs::read_dir(data.0.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("vault.jeton.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(data.0.path().join(&aside[0])).unwrap(),
        vault_bytes
    );
    // Backups go on after the recovery, and a second recovery is refused.
    let count = backups_in(folder.path()).len();
    data.ok(&[
        "add",
        "otpauth://totp/After:me?secret=MFRGGZDFMZTWQ2LKNNWG23TPOA",
    ]);
    assert_eq!(backups_in(folder.path()).len(), count + 1);
    let again = data.run(&[
        "recover",
        newest.to_str().unwrap(),
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    assert!(
        !again.status.success(),
        "a vault that opens is never replaced"
    );
}

fn uuid_of(vault: &[u8]) -> String {
    let hex = data_encoding::HEXLOWER.encode(&vault[12..28]);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[test]
fn sigkill_during_import_export_and_backup_never_leaves_a_broken_vault_or_file() {
    let Some(plain) = fixture("importers", "plain.txt") else {
        return;
    };
    let data = Data::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pw = password_file(dir.path(), PASSWORD);
    data.ok(&[
        "backup",
        "configure",
        "--dir",
        folder.path().to_str().unwrap(),
        "--keep",
        "1000",
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    let mut seed = 0x2545_f491_u64;
    let mut exports_killed = 0;
    for round in 0..45u64 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let link = format!(
            "otpauth://totp/Kill{round}:me?secret={}",
            data_encoding::BASE32_NOPAD.encode(&seed.to_le_bytes())
        );
        let links = dir.path().join(format!("links-{round}.txt"));
        std::fs::write(&links, format!("{link}\n")).unwrap();
        let export = dir.path().join(format!("export-{round}.jetonbackup"));
        // Imports (each followed by an automatic backup) and exports, whose
        // Argon2id takes most of a second: killed anywhere in their work.
        let (args, window_us): (Vec<&str>, u64) = match round % 3 {
            0 => (vec!["import", links.to_str().unwrap()], 60_000),
            1 => (vec!["import", plain.to_str().unwrap()], 60_000),
            _ => (
                vec![
                    "export",
                    "--format",
                    "jeton",
                    "--output",
                    export.to_str().unwrap(),
                    "--password-file",
                    pw.to_str().unwrap(),
                ],
                1_500_000,
            ),
        };
        let mut child = data
            .cmd(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(seed % window_us));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if round % 3 == 2 && !status.success() {
            exports_killed += 1;
        }
        // The vault always opens, and an export is there whole or not at all.
        data.ok(&["list"]);
        if export.exists() {
            import_json(&Data::new(), &export, Some(PASSWORD), &["--dry-run"]);
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".export-"))
            .collect();
        for leftover in leftovers {
            // A killed export leaves at most its hidden temporary file, never a
            // file under the name asked for.
            let _ = std::fs::remove_file(leftover.path());
        }
    }
    assert!(exports_killed > 0, "no export was interrupted");
    // Every file with a backup's final name is whole: it opens with the password.
    let backups = backups_in(folder.path());
    assert!(!backups.is_empty());
    for backup in backups {
        let check = Data::new();
        import_json(&check, &backup, Some(PASSWORD), &["--dry-run"]);
    }
}

#[test]
fn keys_and_links_can_come_from_stdin_instead_of_argv() {
    use std::io::Write;
    let data = Data::new();
    let mut child = data
        .cmd(&[
            "add",
            "--issuer",
            "GitHub",
            "--account",
            "me",
            "--secret",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"jbsw y3dp ehpk 3pxp\n")
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    let mut child = data
        .cmd(&["code", "--uri", "-", "--at", "59"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    // RFC 6238's SHA1 vector at T = 59 s.
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "94287082");
    let list = data.list();
    assert_eq!(
        (list[0]["issuer"].as_str(), list[0]["account"].as_str()),
        (Some("GitHub"), Some("me"))
    );
}
