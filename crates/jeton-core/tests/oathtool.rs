//! `oathtool` (OATH Toolkit, Debian) as an independent oracle: random secrets,
//! algorithms, digits, periods and times — including times past 2038 — must give
//! the same codes from Jeton and from oathtool.

use std::process::Command;

use jeton_core::otp::{code_at, Algorithm, Kind, OtpParams, Secret};

/// A small deterministic generator (xorshift) so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn oathtool(args: &[String]) -> String {
    let out = Command::new("oathtool")
        .args(args)
        .output()
        .expect("oathtool must be installed (Debian package oathtool; scripts/test installs it)");
    assert!(
        out.status.success(),
        "oathtool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn totp_matches_oathtool_over_random_cases() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let algorithms = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];
    for case in 0..150 {
        let len = 10 + rng.below(55) as usize;
        let secret: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let algorithm = algorithms[rng.below(3) as usize];
        let digits = 6 + rng.below(3) as u8;
        let period = [30, 60, 15, 1, 45, 90, 3600][rng.below(7) as usize];
        // Up to year ~2500: well past 2038 and the 32-bit time_t limit.
        let time = rng.below(16_725_225_600);
        let params = OtpParams {
            kind: Kind::Totp,
            algorithm,
            digits,
            period,
            counter: 0,
        };
        let ours = code_at(&Secret::from_bytes(secret.clone()), &params, time).unwrap();
        let theirs = oathtool(&[
            format!("--totp={}", algorithm.as_str().to_lowercase()),
            format!("--digits={digits}"),
            format!("--time-step-size={period}s"),
            format!("--now=@{time}"),
            data_encoding::HEXLOWER.encode(&secret),
        ]);
        assert_eq!(
            ours, theirs,
            "case {case}: {algorithm:?} {digits} digits, {period}s, t={time}"
        );
    }
}

#[test]
fn hotp_matches_oathtool_over_random_counters() {
    let mut rng = Rng(0x0b5e_55ed_c0ff_ee00);
    for case in 0..60 {
        let secret: Vec<u8> = (0..20).map(|_| rng.next() as u8).collect();
        let digits = 6 + rng.below(3) as u8;
        let counter = if case % 3 == 0 {
            rng.next() >> 1
        } else {
            rng.below(1_000_000)
        };
        let params = OtpParams {
            kind: Kind::Hotp,
            digits,
            counter,
            ..OtpParams::default()
        };
        let ours = code_at(&Secret::from_bytes(secret.clone()), &params, 0).unwrap();
        let theirs = oathtool(&[
            format!("--digits={digits}"),
            format!("--counter={counter}"),
            data_encoding::HEXLOWER.encode(&secret),
        ]);
        assert_eq!(ours, theirs, "case {case}: counter {counter}");
    }
}

/// oathtool reads Base32 secrets too: people type them with spaces and lower case.
#[test]
fn base32_input_matches_oathtool() {
    for typed in [
        "jbsw y3dp ehpk 3pxp",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "wrn3pqx5uqxqvnqr",
    ] {
        let secret = Secret::from_base32(typed).unwrap();
        let ours = code_at(&secret, &OtpParams::default(), 2_000_000_000).unwrap();
        let theirs = oathtool(&[
            "--totp".into(),
            "--now=@2000000000".into(),
            "--base32".into(),
            typed.to_uppercase().replace(' ', ""),
        ]);
        assert_eq!(ours, theirs, "{typed}");
    }
}
