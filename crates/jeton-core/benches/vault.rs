//! Speed of the vault and of code generation (figures go in the README).
//! Needs a Secret Service: `scripts/with-session -- cargo bench -p jeton-core`.
//!
//! - open: keychain lookup + read + decrypt + parse of a 10,000-account vault
//! - add / rename / delete on that vault, each including encryption and the atomic,
//!   fsynced write
//! - codes for 1,000 accounts

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::{uri, Account, Vault};

fn account(i: usize) -> Account {
    let secret =
        data_encoding::BASE32_NOPAD.encode(format!("bench-secret-number-{i:08}").as_bytes());
    uri::parse(&format!(
        "otpauth://totp/Issuer{}:user{i}@example.com?secret={secret}",
        i % 97
    ))
    .unwrap()
}

fn vault_with(dir: &std::path::Path, n: usize) -> Vault {
    let mut vault = Vault::open(dir, Arc::new(SystemKeychain)).unwrap();
    vault.add_all((0..n).map(account).collect()).unwrap();
    vault
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_with(dir.path(), 10_000);
    let mut group = c.benchmark_group("vault_10k");
    group.sample_size(20);
    group.bench_function("open (keychain + decrypt)", |b| {
        b.iter(|| black_box(Vault::open(dir.path(), Arc::new(SystemKeychain)).unwrap()))
    });
    let mut n = 10_000;
    group.bench_function("add", |b| {
        b.iter(|| {
            n += 1;
            vault.add(account(n)).unwrap()
        })
    });
    let id = vault.accounts()[0].id;
    let mut flip = false;
    group.bench_function("rename", |b| {
        b.iter(|| {
            flip = !flip;
            vault
                .rename(id, if flip { "A" } else { "B" }, "someone")
                .unwrap()
        })
    });
    group.bench_function("delete + restore", |b| {
        b.iter(|| {
            vault.delete(id).unwrap();
            vault.restore(id).unwrap();
        })
    });
    group.finish();
    if let Some(vault_id) = vault.id() {
        let _ = SystemKeychain.delete(&vault_id.to_string());
    }

    let accounts: Vec<Account> = (0..1_000).map(account).collect();
    c.bench_function("codes for 1,000 accounts", |b| {
        b.iter(|| {
            for a in &accounts {
                black_box(a.code_view(black_box(1_800_000_000)).unwrap());
            }
        })
    });
}

criterion_group!(vault_benches, benches);
criterion_main!(vault_benches);
