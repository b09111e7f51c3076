//! Imports of Ente Auth (encrypted), Proton Authenticator and Stratum / Authenticator
//! Pro files: every fixture gives exactly its expected entries (format recognised
//! from the content), and wrong, missing or damaged input fails cleanly.

mod support;

use std::time::{Duration, Instant};

use jeton_core::backup::{self, BackupError, Imported};
use support::{assert_entries, import_fixture, shared, Expected, AEGIS_VECTORS};

const fn row(
    kind: &'static str,
    issuer: &'static str,
    account: &'static str,
    algorithm: &'static str,
    digits: u8,
    period_or_counter: u64,
    secret: &'static str,
) -> Expected {
    Expected {
        issuer,
        account,
        kind,
        algorithm,
        digits,
        period_or_counter,
        secret,
    }
}

/// The fixture's bytes, or `None` when ../shared is absent.
fn bytes(folder: &str, file: &str) -> Option<Vec<u8>> {
    let path = shared("conformance")?.join(folder).join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn read(bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
    backup::read(bytes, None, password)
}

fn read_ok(bytes: &[u8], password: Option<&str>) -> Imported {
    read(bytes, password).unwrap_or_else(|e| panic!("does not import: {e}"))
}

/// Reading fails with an error whose code is `code`.
#[track_caller]
fn assert_fails(bytes: &[u8], password: Option<&str>, code: &str) {
    match read(bytes, password) {
        Ok(imported) => panic!(
            "imported {} entries; expected {code}",
            imported.entries.len()
        ),
        Err(e) => assert_eq!(e.code(), code, "{e}"),
    }
}

/// Truncations at several places and single bit flips all fail without a panic.
/// A truncated JSON file is no longer JSON: it may then be refused or read as
/// some text format, but it never yields an account.
fn assert_damage_fails(bytes: &[u8], password: &str, flips: &[usize]) {
    let end = bytes.trim_ascii_end().len();
    let json = bytes.first() == Some(&b'{');
    for cut in [17, 40, end / 2, end - 1] {
        let result = read(&bytes[..cut], Some(password));
        match result {
            Ok(imported) if json => assert_eq!(
                imported.accounts().count(),
                0,
                "truncated to {cut} bytes: read as {}",
                imported.format
            ),
            Ok(imported) => panic!("truncated to {cut} bytes: read as {}", imported.format),
            Err(_) => {}
        }
    }
    for &at in flips {
        let mut flipped = bytes.to_vec();
        flipped[at] ^= 0x04;
        let result = read(&flipped, Some(password));
        assert!(result.is_err(), "bit flipped at {at}: {result:?}");
    }
}

/// The JSON with `edit` applied, as bytes.
fn edited(bytes: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut json: serde_json::Value = serde_json::from_slice(bytes).expect("fixture is JSON");
    edit(&mut json);
    serde_json::to_vec(&json).expect("JSON")
}

// ---------------------------------------------------------------- Ente Auth

const ENTE_LOW: [Expected; 3] = [
    row("hotp", "dfdf", "adfasdf", "SHA1", 6, 1, "ASDFADA"),
    row(
        "totp",
        "issuertest",
        "accountest",
        "SHA256",
        6,
        30,
        "SECRETDATA",
    ),
    row("steam", "steam", "steam", "SHA1", 5, 30, "AAAAAAAA"),
];

#[test]
fn ente_encrypted_imports_its_entries() {
    let file = "ente_encrypted_lowcomplexity.txt";
    let Some(imported) = import_fixture("importers-more", file, Some("password")) else {
        return;
    };
    assert_eq!(imported.format, "ente-encrypted");
    assert_entries(file, &imported, &ENTE_LOW, 0);
    let groups: Vec<_> = imported.accounts().map(|a| a.group.as_deref()).collect();
    assert_eq!(groups, [None, Some("a tag"), None]);
}

#[test]
fn ente_encrypted_password_errors() {
    let Some(file) = bytes("importers-more", "ente_encrypted_lowcomplexity.txt") else {
        return;
    };
    assert_fails(&file, Some("wrong_password"), "backup.wrong_password");
    assert_fails(&file, None, "backup.password_needed");
    assert_fails(&file, Some(""), "backup.password_needed");
}

#[test]
fn ente_encrypted_damage_fails() {
    let Some(file) = bytes("importers-more", "ente_encrypted_lowcomplexity.txt") else {
        return;
    };
    // Truncated JSON is no longer recognised or is damaged: an error either way.
    assert_damage_fails(&file, "password", &[]);
    let text = String::from_utf8(file.clone()).expect("text");
    let data = text.find("\"encryptedData\": \"").expect("field") + 20;
    for at in [data, data + 100, data + 400] {
        let mut flipped = file.clone();
        // Swap one Base64 character for another: same length, other bits.
        flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
        assert_fails(&flipped, Some("password"), "backup.wrong_password");
    }
    let short_data = edited(&file, |j| j["encryptedData"] = "AAAA".into());
    assert_fails(&short_data, Some("password"), "backup.damaged");
    let short_nonce = edited(&file, |j| j["encryptionNonce"] = "AAAAAAAA".into());
    assert_fails(&short_nonce, Some("password"), "backup.damaged");
    let newer = edited(&file, |j| j["version"] = 2.into());
    assert_fails(&newer, Some("password"), "backup.unsupported");
}

#[test]
fn ente_encrypted_refuses_excessive_kdf_costs_without_spending_them() {
    let Some(file) = bytes("importers-more", "ente_encrypted_lowcomplexity.txt") else {
        return;
    };
    let start = Instant::now();
    for (mem, ops) in [
        (4u64 << 30, 1u64), // 4 GiB
        (1 << 30, 64),      // 1 GiB × 64 passes
        (u64::MAX, 1),      // beyond u32 KiB
        (64 << 20, u64::from(u32::MAX) + 1),
    ] {
        let costly = edited(&file, |j| {
            j["kdfParams"]["memLimit"] = mem.into();
            j["kdfParams"]["opsLimit"] = ops.into();
        });
        assert_fails(&costly, Some("password"), "backup.cost_too_high");
    }
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

// ---------------------------------------------------- Proton Authenticator

#[test]
fn proton_plain_imports_the_aegis_vectors() {
    let file = "proton_authenticator.json";
    let Some(imported) = import_fixture("importers", file, None) else {
        return;
    };
    assert_eq!(imported.format, "proton-authenticator");
    assert_entries(file, &imported, &AEGIS_VECTORS[..3], 0);
}

const PROTON_ENCRYPTED: [Expected; 4] = [
    row(
        "totp",
        ".env",
        "example@ente.io",
        "SHA1",
        6,
        30,
        "MI4GCOJSGIZTKLJSGMZWKLJUGEZDQLJYG5STILJSMUYDIYTCMQ3TSOJRGI",
    ),
    row(
        "totp",
        "/e/",
        "cool@ente.com",
        "SHA1",
        6,
        30,
        "554VBDOGJRLDG2JV",
    ),
    row(
        "totp",
        "ente",
        "simple@ente.sh",
        "SHA1",
        6,
        30,
        "PIBTGMBYQYVSLN5PVZYQUTKYHOBRYYT7",
    ),
    row(
        "totp",
        "reddit",
        "r@ente.com",
        "SHA1",
        6,
        30,
        "J4YFC3TZKVYWCVCNIVBWIV2GHFAXUNDF",
    ),
];

#[test]
fn proton_encrypted_imports_its_entries() {
    let file = "proton_authenticator_encrypted_1231246.json";
    let Some(imported) = import_fixture("importers-more", file, Some("1231246")) else {
        return;
    };
    assert_eq!(imported.format, "proton-authenticator");
    assert_entries(file, &imported, &PROTON_ENCRYPTED, 0);
}

#[test]
fn proton_encrypted_password_and_damage_errors() {
    let Some(file) = bytes(
        "importers-more",
        "proton_authenticator_encrypted_1231246.json",
    ) else {
        return;
    };
    assert_fails(&file, Some("1231247"), "backup.wrong_password");
    assert_fails(&file, None, "backup.password_needed");
    assert_damage_fails(&file, "1231246", &[]);
    let text = String::from_utf8(file.clone()).expect("text");
    let content = text.find("\"content\":\"").expect("field") + 11;
    for at in [content + 2, content + 30, content + 500] {
        let mut flipped = file.clone();
        flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
        assert_fails(&flipped, Some("1231246"), "backup.wrong_password");
    }
    let short = edited(&file, |j| j["content"] = "AAAAAAAAAAAAAAAAAAAA".into());
    assert_fails(&short, Some("1231246"), "backup.damaged");
    let salt = edited(&file, |j| j["salt"] = "AAAAAAAA".into());
    assert_fails(&salt, Some("1231246"), "backup.damaged");
    let newer = edited(&file, |j| j["version"] = 2.into());
    assert_fails(&newer, Some("1231246"), "backup.unsupported");
}

#[test]
fn proton_steam_entries_and_names() {
    let json = serde_json::json!({
        "version": 1,
        "entries": [
            {"id": "1", "content": {"uri": "steam://JRZCL47CMXVOQMNPZR2F7J4RGI", "entry_type": "Steam", "name": "My Steam"}, "note": "main"},
            {"id": "2", "content": {"uri": "steam://4SJHB4GSD43FZBAI7C2HLRJGPQ", "entry_type": "Steam", "name": ""}, "note": null},
            {"id": "3", "content": {"uri": "otpauth://totp/?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&issuer=SPDX", "entry_type": "Totp", "name": "James"}},
            {"id": "4", "content": {"uri": "otpauth://totp/x?secret=GEZDGNB1", "entry_type": "Totp", "name": "x"}},
            {"id": "5", "content": {"uri": "otpauth://hotp/x?secret=GEZDGNBV", "entry_type": "Hotp", "name": "h"}},
            {"id": "6", "content": {"entry_type": "Totp", "name": "no uri"}},
            {"id": "7", "content": {"uri": "steam://1111", "entry_type": "Steam", "name": "bad"}},
        ]
    });
    let imported = read_ok(json.to_string().as_bytes(), None);
    assert_eq!(imported.format, "proton-authenticator");
    let expected = [
        row(
            "steam",
            "My Steam",
            "",
            "SHA1",
            5,
            30,
            "JRZCL47CMXVOQMNPZR2F7J4RGI",
        ),
        row(
            "steam",
            "Steam",
            "",
            "SHA1",
            5,
            30,
            "4SJHB4GSD43FZBAI7C2HLRJGPQ",
        ),
        row(
            "totp",
            "SPDX",
            "James",
            "SHA1",
            6,
            30,
            "5OM4WOOGPLQEF6UGN3CPEOOLWU",
        ),
    ];
    assert_entries("proton synthetic", &imported, &expected, 4);
    let notes: Vec<_> = imported.accounts().map(|a| a.notes.as_str()).collect();
    assert_eq!(notes, ["main", "", ""]);
    let skipped: Vec<_> = imported.entries[3..]
        .iter()
        .map(|e| (e.issuer.as_str(), e.account.as_str()))
        .collect();
    assert_eq!(skipped, [("", "x"), ("h", ""), ("no uri", ""), ("bad", "")]);
}

// ----------------------------------------------------- Stratum / Authenticator Pro

const STRATUM_STRONG: [Expected; 7] = [
    row(
        "totp",
        "Long",
        "Period",
        "SHA1",
        6,
        60,
        "JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
    ),
    row(
        "totp",
        "Many",
        "Digits",
        "SHA1",
        9,
        30,
        "WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
    ),
    row(
        "totp",
        "Sha",
        "256",
        "SHA256",
        6,
        30,
        "RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
    ),
    row(
        "totp",
        "Sha",
        "512",
        "SHA512",
        6,
        30,
        "UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
    ),
    row(
        "hotp",
        "Standard",
        "Hotp",
        "SHA1",
        6,
        10,
        "JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB",
    ),
    row(
        "totp",
        "Standard",
        "Totp",
        "SHA1",
        6,
        30,
        "54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
    ),
    row(
        "totp",
        "NoIssuer",
        "",
        "SHA1",
        6,
        30,
        "KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
    ),
];

#[test]
fn stratum_fixtures_import_their_entries() {
    for (folder, file, password, format, expected) in [
        (
            "importers",
            "stratum_plain.json",
            None,
            "stratum",
            &AEGIS_VECTORS[..7],
        ),
        (
            "importers",
            "stratum_encrypted.bin",
            Some("test"),
            "stratum-encrypted",
            &AEGIS_VECTORS[..7],
        ),
        (
            "importers",
            "stratum_encrypted_legacy.bin",
            Some("test"),
            "stratum-encrypted",
            &AEGIS_VECTORS[..7],
        ),
        (
            "importers-more",
            "stratum_backup_strong.authpro",
            Some("test"),
            "stratum-encrypted",
            &STRATUM_STRONG[..],
        ),
    ] {
        let Some(imported) = import_fixture(folder, file, password) else {
            return;
        };
        assert_eq!(imported.format, format, "{file}");
        assert_entries(file, &imported, expected, 0);
    }
}

#[test]
fn stratum_encrypted_password_and_damage_errors() {
    for (file, flips) in [
        // Salt, IV, ciphertext, tag.
        ("stratum_encrypted.bin", &[20usize, 40, 60][..]),
        // Salt, IV, ciphertext (the last block holds the padding).
        ("stratum_encrypted_legacy.bin", &[20, 40, 60][..]),
    ] {
        let Some(bytes) = bytes("importers", file) else {
            return;
        };
        assert_fails(&bytes, Some("testing1"), "backup.wrong_password");
        assert_fails(&bytes, None, "backup.password_needed");
        let last = bytes.len() - 1;
        assert_damage_fails(&bytes, "test", &[flips, &[last]].concat());
        assert_fails(&bytes[..40], Some("test"), "backup.damaged");
    }
}

#[test]
fn stratum_json_types_groups_and_odd_values() {
    let json = serde_json::json!({
        "Authenticators": [
            {"Type": 2, "Issuer": "Google", "Username": null, "Secret": "4SJHB4GSD43FZBAI7C2HLRJGPQ", "Algorithm": 0, "Digits": 6, "Period": 30, "Counter": 0, "Ranking": 0, "Icon": "google", "Pin": null},
            {"Type": 1, "Issuer": "Issuu", "Username": "James", "Secret": "YOOMIXWS5GN6RTBPUFFWKTW5M4", "Algorithm": 0, "Digits": 6, "Period": 30, "Counter": 7},
            {"Type": 4, "Issuer": "Steam", "Username": "me", "Secret": "JRZCL47CMXVOQMNPZR2F7J4RGI", "Algorithm": 0, "Digits": 5, "Period": 30},
            {"Type": 3, "Issuer": "Company VPN", "Username": "john", "Secret": "7ac61d4736f51a2b", "Pin": "1234"},
            {"Type": 5, "Issuer": "Yandex", "Username": "y", "Secret": "AAAAAAVSVVVVVVVVVSASVVVVVSSSDSD", "Pin": "12345678"},
            {"Type": 2, "Issuer": "Md5", "Username": "a", "Secret": "GEZDGNBVGY3TQOJQ", "Algorithm": 3},
            {"Type": 2, "Issuer": "Zero", "Username": "a", "Secret": "GEZDGNBVGY3TQOJQ", "Digits": 0},
            {"Type": 2, "Issuer": "Huge", "Username": "a", "Secret": "GEZDGNBVGY3TQOJQ", "Digits": 300},
            {"Type": 2, "Issuer": "Negative", "Username": "a", "Secret": "GEZDGNBVGY3TQOJQ", "Period": -30},
            {"Type": 1, "Issuer": "Back", "Username": "a", "Secret": "GEZDGNBVGY3TQOJQ", "Counter": -1},
            {"Type": 2, "Issuer": "NoSecret", "Username": "a"},
            {"Type": 2, "Issuer": "Bad", "Username": "a", "Secret": "GEZDGNB1"},
            {"Type": "two", "Issuer": "Typed", "Username": "a", "Secret": "GEZDGNBV"},
            {"Type": 9, "Issuer": "Future", "Username": "a", "Secret": "GEZDGNBV"},
        ],
        "Categories": [
            {"Id": "a8323a2a", "Name": "Web", "Ranking": 0},
            {"Id": "00040bab", "Name": "Work", "Ranking": 1},
        ],
        "AuthenticatorCategories": [
            {"CategoryId": "a8323a2a", "AuthenticatorSecret": "4SJHB4GSD43FZBAI7C2HLRJGPQ", "Ranking": 0},
            {"CategoryId": "00040bab", "AuthenticatorSecret": "4SJHB4GSD43FZBAI7C2HLRJGPQ", "Ranking": 0},
            {"CategoryId": "00040bab", "AuthenticatorSecret": "JRZCL47CMXVOQMNPZR2F7J4RGI", "Ranking": 0},
            {"CategoryId": "missing", "AuthenticatorSecret": "YOOMIXWS5GN6RTBPUFFWKTW5M4", "Ranking": 0},
        ],
        "CustomIcons": [],
    });
    let imported = read_ok(json.to_string().as_bytes(), None);
    assert_eq!(imported.format, "stratum");
    let expected = [
        row(
            "totp",
            "Google",
            "",
            "SHA1",
            6,
            30,
            "4SJHB4GSD43FZBAI7C2HLRJGPQ",
        ),
        row(
            "hotp",
            "Issuu",
            "James",
            "SHA1",
            6,
            7,
            "YOOMIXWS5GN6RTBPUFFWKTW5M4",
        ),
        row(
            "steam",
            "Steam",
            "me",
            "SHA1",
            5,
            30,
            "JRZCL47CMXVOQMNPZR2F7J4RGI",
        ),
    ];
    assert_entries("stratum synthetic", &imported, &expected, 11);
    let groups: Vec<_> = imported.accounts().map(|a| a.group.as_deref()).collect();
    assert_eq!(groups, [Some("Web"), None, Some("Work")]);
    let skipped: Vec<_> = imported.entries[3..]
        .iter()
        .map(|e| {
            let code = e.outcome.as_ref().err().map(|r| r.code());
            (e.issuer.as_str(), code.unwrap_or("imported"))
        })
        .collect();
    assert_eq!(
        skipped,
        [
            ("Company VPN", "backup.unsupported_entry"),
            ("Yandex", "backup.unsupported_entry"),
            ("Md5", "otp.unsupported_algorithm"),
            ("Zero", "otp.digits_out_of_range"),
            ("Huge", "otp.digits_out_of_range"),
            ("Negative", "otp.period_out_of_range"),
            ("Back", "otp.invalid_counter"),
            ("NoSecret", "secret.missing"),
            ("Bad", "secret.invalid"),
            ("Typed", "backup.damaged"),
            ("Future", "backup.unsupported_entry"),
        ]
    );
}

#[test]
fn stratum_json_entry_count_is_bounded() {
    let one = r#"{"Type":2,"Issuer":"a","Secret":"GEZDGNBV"}"#;
    let many = vec![one; backup::limits::MAX_ENTRIES + 1].join(",");
    let json = format!(r#"{{"Authenticators":[{many}]}}"#);
    assert_fails(json.as_bytes(), None, "backup.too_many_entries");
}

/// A page as Stratum's `HtmlBackup` writes it: its `backup_template.html` with one
/// table row per authenticator (issuer, username, `<code>` link, QR image).
fn stratum_html(rows: &[(&str, &str, &str)]) -> String {
    let items: String = rows
        .iter()
        .map(|(issuer, username, uri)| {
            format!(
                "<tr>\n    <td>{issuer}</td>\n    <td>{username}</td>\n    <td><code>{uri}</code></td>\n    \
                 <td><img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAOQAAADkAQAAAACgLLUg\"></td>\n</tr>"
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html>\n    <head>\n        <meta charset=\"utf-8\">\n        \
         <title>Stratum Backup</title>\n        <style>\n            body {{ font-family: sans-serif; }}\n        \
         </style>\n    </head>\n    <body>\n        <table>\n            <tr>\n                \
         <th>Issuer</th>\n                <th>Username</th>\n                <th>OTP Auth URI</th>\n                \
         <th>QR Code</th>\n            </tr>\n            {items}\n        </table>\n    </body>\n</html>"
    )
}

#[test]
fn stratum_html_reads_each_code_link() {
    let page = stratum_html(&[
        ("Long", "Period", "otpauth://totp/Long%3APeriod?secret=JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN&issuer=Long&period=60"),
        ("Many", "Digits", "otpauth://totp/Many%3ADigits?secret=WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS&amp;issuer=Many&amp;digits=9"),
        ("Sha", "256", "otpauth://totp/Sha%3A256?secret=RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ&#38;issuer=Sha&#x26;algorithm=SHA256"),
        ("Sha", "512", "otpauth://totp/Sha%3A512?secret=UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH&issuer=Sha&algorithm=SHA512"),
        ("Standard", "Hotp", "otpauth://hotp/Standard%3AHotp?secret=JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB&issuer=Standard&counter=10"),
        ("Standard", "Totp", "otpauth://totp/Standard%3ATotp?secret=54VEGZFJHM3BGDONFERMPUOKNGDJETGM&issuer=Standard"),
        ("NoIssuer", "", "otpauth://totp/NoIssuer?secret=KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX&issuer=NoIssuer"),
        ("MOTP", "Username", "motp://MOTP:Username?secret=7ac61d4736f51a2b"),
        ("Yandex", "Username", "otpauth://yaotp/Yandex%3AUsername?secret=AAAAAAVSVVVVVVVVVSASVVVVVSSSDSD&issuer=Yandex&pin_length=8"),
        ("Boeing", "Sophia", "otpauth://totp/Boeing%3ASophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing&steam"),
        ("Steam", "gamer", "otpauth://totp/Steam%3Agamer?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Steam"),
        ("A &amp; B", "&lt;me&gt;", "otpauth://totp/A%20%26%20B%3A%3Cme%3E?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&issuer=A%20%26%20B"),
    ]);
    let imported = read_ok(page.as_bytes(), None);
    assert_eq!(imported.format, "stratum-html");
    let mut expected = STRATUM_STRONG.to_vec();
    expected[6].account = "NoIssuer";
    expected.extend([
        row(
            "steam",
            "Boeing",
            "Sophia",
            "SHA1",
            5,
            30,
            "JRZCL47CMXVOQMNPZR2F7J4RGI",
        ),
        row(
            "steam",
            "Steam",
            "gamer",
            "SHA1",
            5,
            30,
            "4SJHB4GSD43FZBAI7C2HLRJGPQ",
        ),
        row(
            "totp",
            "A & B",
            "<me>",
            "SHA1",
            6,
            30,
            "5OM4WOOGPLQEF6UGN3CPEOOLWU",
        ),
    ]);
    assert_entries("stratum html", &imported, &expected, 2);
    let skipped: Vec<_> = imported
        .entries
        .iter()
        .filter(|e| e.outcome.is_err())
        .map(|e| (e.issuer.as_str(), e.account.as_str()))
        .collect();
    assert_eq!(skipped, [("MOTP", "Username"), ("Yandex", "Username")]);
}

#[test]
fn stratum_html_detection_is_specific() {
    // An HTML page without otpauth code elements is not Stratum's.
    let page = "<!doctype html><html><body><code>let x = 1;</code></body></html>";
    assert_fails(page.as_bytes(), None, "backup.unknown_format");
    // Nor is a text that merely mentions <code>otpauth:// without being a page.
    let text = "notes: <code>otpauth://totp/x?secret=GEZDGNBV</code>";
    assert!(read(text.as_bytes(), None).map_or(true, |i| i.format != "stratum-html"));
}
