//! Google Authenticator transfer links: the cases collected from other projects
//! (../shared/conformance/migration_cases.json) and multi-QR exports.

mod support;

use jeton_core::migration::{parse_link, Batch};
use jeton_core::Kind;
use support::{conformance_json, hex};

#[test]
fn cases_from_other_projects() {
    let Some(doc) = conformance_json("migration_cases.json") else {
        return;
    };
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let Some(uri) = case["uri"].as_str() else {
            continue;
        }; // the PNG case: see jeton-scan
        let parsed = parse_link(uri);
        if !case["valid"].as_bool().unwrap() {
            let err = parsed.expect_err(id);
            assert!(!err.to_string().is_empty());
            continue;
        }
        let part = parsed.unwrap_or_else(|e| panic!("{id}: {e}"));
        let decoded = &case["decoded_by_us"];
        if let Some(batch_id) = decoded["payload"]["batch_id"].as_i64() {
            assert_eq!(
                part.batch_id as i64, batch_id,
                "{id}: negative batch ids survive"
            );
        }
        let entries = decoded["entries"].as_array().unwrap();
        assert_eq!(part.accounts.len(), entries.len(), "{id}");
        for (account, entry) in part.accounts.iter().zip(entries) {
            assert_eq!(
                account.secret.as_bytes(),
                hex(entry["secret_hex"].as_str().unwrap()),
                "{id}"
            );
            let issuer = entry["issuer"].as_str().unwrap_or("");
            assert_eq!(account.issuer, issuer, "{id}");
            let name = entry["name"].as_str().unwrap();
            let expected_name = name
                .strip_prefix(&format!("{issuer}:"))
                .filter(|_| !issuer.is_empty())
                .unwrap_or(name);
            assert_eq!(account.name, expected_name, "{id}");
            let hotp = entry["type"].as_str().unwrap().contains("HOTP");
            assert_eq!(
                account.params.kind,
                if hotp { Kind::Hotp } else { Kind::Totp },
                "{id}"
            );
            assert_eq!(
                account.params.counter,
                entry["counter"].as_u64().unwrap_or(0),
                "{id}"
            );
            assert_eq!(
                (account.params.digits, account.params.period),
                (6, 30),
                "{id}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 12, "{checked}");
    // The code stated by dim13's suite for its example.
    let example = parse_link("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC").unwrap();
    assert_eq!(example.accounts[0].code_at(1257894000).unwrap(), "528064");
    assert_eq!(example.accounts[0].label(), "Example: alice@google.com");
}

/// Multi-QR exports, written here with prost from the published schema.
mod payload {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct MigrationPayload {
        #[prost(message, repeated, tag = "1")]
        pub otp_parameters: Vec<OtpParameters>,
        #[prost(int32, tag = "2")]
        pub version: i32,
        #[prost(int32, tag = "3")]
        pub batch_size: i32,
        #[prost(int32, tag = "4")]
        pub batch_index: i32,
        #[prost(int32, tag = "5")]
        pub batch_id: i32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct OtpParameters {
        #[prost(bytes = "vec", tag = "1")]
        pub secret: Vec<u8>,
        #[prost(string, tag = "2")]
        pub name: String,
        #[prost(string, tag = "3")]
        pub issuer: String,
        #[prost(int32, tag = "4")]
        pub algorithm: i32,
        #[prost(int32, tag = "5")]
        pub digits: i32,
        #[prost(int32, tag = "6")]
        pub r#type: i32,
        #[prost(int64, tag = "7")]
        pub counter: i64,
    }
}

fn link(index: i32, size: i32, batch_id: i32, entries: Vec<payload::OtpParameters>) -> String {
    let bytes = prost::Message::encode_to_vec(&payload::MigrationPayload {
        otp_parameters: entries,
        version: 1,
        batch_size: size,
        batch_index: index,
        batch_id,
    });
    let base64 = data_encoding::BASE64.encode(&bytes);
    format!(
        "otpauth-migration://offline?data={}",
        percent_encoding::utf8_percent_encode(&base64, percent_encoding::NON_ALPHANUMERIC)
    )
}

fn entry(
    name: &str,
    issuer: &str,
    algorithm: i32,
    digits: i32,
    kind: i32,
    counter: i64,
) -> payload::OtpParameters {
    payload::OtpParameters {
        secret: format!("secret-of-{name}").into_bytes(),
        name: name.into(),
        issuer: issuer.into(),
        algorithm,
        digits,
        r#type: kind,
        counter,
    }
}

#[test]
fn a_three_part_export_is_gathered_then_taken_whole() {
    let parts = [
        link(
            0,
            3,
            -7,
            vec![entry("Hôpital:élise", "Hôpital", 2, 2, 2, 0)],
        ),
        link(1, 3, -7, vec![entry("lab: bench 1", "", 3, 1, 1, 41)]),
        link(2, 3, -7, vec![entry("plain", "", 0, 0, 0, 0)]),
    ];
    let mut batch = Batch::default();
    let progress = batch.add(parse_link(&parts[2]).unwrap()).unwrap();
    assert_eq!(
        (progress.scanned, progress.total, progress.missing.clone()),
        (1, 3, vec![1, 2])
    );
    batch.add(parse_link(&parts[0]).unwrap()).unwrap();
    batch.add(parse_link(&parts[0]).unwrap()).unwrap(); // the same QR twice is harmless
    assert!(!batch.is_complete());
    let other_export = link(0, 2, 99, vec![entry("x", "", 1, 1, 2, 0)]);
    assert_eq!(
        batch
            .add(parse_link(&other_export).unwrap())
            .unwrap_err()
            .code(),
        "migration.invalid"
    );
    let progress = batch.add(parse_link(&parts[1]).unwrap()).unwrap();
    assert_eq!((progress.scanned, progress.missing.len()), (3, 0));
    assert!(batch.is_complete());

    let accounts = batch.take_accounts();
    let summary: Vec<_> = accounts
        .iter()
        .map(|a| {
            (
                a.issuer.as_str(),
                a.name.as_str(),
                a.params.algorithm.as_str(),
                a.params.digits,
                a.params.kind,
                a.params.counter,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Hôpital", "élise", "SHA256", 8, Kind::Totp, 0),
            ("", "lab: bench 1", "SHA512", 6, Kind::Hotp, 41),
            ("", "plain", "SHA1", 6, Kind::Totp, 0),
        ]
    );
}

#[test]
fn bad_transfers_are_refused_with_a_reason() {
    for (bad, code) in [
        (
            link(0, 1, 1, vec![entry("md5", "", 4, 1, 2, 0)]),
            "otp.unsupported_algorithm",
        ),
        (link(0, 1, 1, vec![]), "migration.invalid"),
        (
            link(5, 2, 1, vec![entry("a", "", 1, 1, 2, 0)]),
            "migration.invalid",
        ),
        (
            "otpauth-migration://offline?data=%%%".to_string(),
            "migration.invalid",
        ),
        (
            "otpauth-migration://offline".to_string(),
            "migration.invalid",
        ),
        (
            format!("otpauth-migration://offline?data={}", "A".repeat(8000)),
            "input.too_large",
        ),
    ] {
        assert_eq!(parse_link(&bad).unwrap_err().code(), code, "{bad:.60}");
    }
}
