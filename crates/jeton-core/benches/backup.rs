//! Speed of import, export and automatic backups (figures go in the README).
//! Needs a Secret Service for the automatic backup:
//! `scripts/with-session -- cargo bench -p jeton-core --bench backup`.
//!
//! - import of 1,000 accounts from an otpauth list and from an Aegis plain vault
//! - export of 1,000 accounts in each format (the Jeton backup with its key already
//!   derived: that is what an automatic backup does; the KDF is measured alone)
//! - an automatic backup after a change to a 1,000-account vault: the change, its
//!   fsynced write, then the backup's encryption, fsynced write and pruning

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use jeton_core::backup::export::{self, ExportFormat};
use jeton_core::backup::jeton::{self, KdfParams};
use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::{backup, uri, Account, Vault};

fn account(i: usize) -> Account {
    let secret =
        data_encoding::BASE32_NOPAD.encode(format!("bench-secret-number-{i:08}").as_bytes());
    uri::parse(&format!(
        "otpauth://totp/Issuer{}:user{i}@example.com?secret={secret}",
        i % 97
    ))
    .unwrap()
}

fn benches(c: &mut Criterion) {
    let accounts: Vec<Account> = (0..1_000).map(account).collect();
    let refs: Vec<&Account> = accounts.iter().collect();
    let list = export::export(ExportFormat::Otpauth, &refs, None).unwrap();
    let aegis = export::export(ExportFormat::AegisPlain, &refs, None).unwrap();

    let mut group = c.benchmark_group("1,000 accounts");
    group.sample_size(20);
    group.bench_function("import otpauth list", |b| {
        b.iter(|| black_box(backup::read(&list.parts[0], None, None).unwrap()))
    });
    group.bench_function("import Aegis plain", |b| {
        b.iter(|| black_box(backup::read(&aegis.parts[0], None, None).unwrap()))
    });
    for format in [
        ExportFormat::Otpauth,
        ExportFormat::AegisPlain,
        ExportFormat::Google,
    ] {
        group.bench_function(format!("export {}", format.name()), |b| {
            b.iter(|| black_box(export::export(format, &refs, None).unwrap()))
        });
    }
    let kdf = KdfParams::new_random().unwrap();
    let key = kdf.derive("correct horse battery staple").unwrap();
    group.bench_function("export jeton (key derived)", |b| {
        b.iter(|| black_box(jeton::write(&refs, &kdf, &key).unwrap()))
    });
    let backup_bytes = jeton::write(&refs, &kdf, &key).unwrap();
    group.bench_function("read jeton backup (key derived)", |b| {
        b.iter(|| black_box(jeton::open_with_key(&backup_bytes, &key).unwrap()))
    });
    group.finish();

    let mut kdf_group = c.benchmark_group("key derivation");
    kdf_group.sample_size(10);
    kdf_group.bench_function("Argon2id 64 MiB, 3 passes (Jeton backup)", |b| {
        b.iter(|| black_box(kdf.derive("correct horse battery staple").unwrap()))
    });
    kdf_group.finish();

    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let mut vault = Vault::open(data.path(), Arc::new(SystemKeychain)).unwrap();
    vault.add_new(accounts.clone()).unwrap();
    let settings = jeton_core::backup::auto::configure(
        data.path(),
        &SystemKeychain,
        folder.path(),
        20,
        "correct horse battery staple",
    )
    .unwrap();
    let id = vault.accounts()[0].id;
    let mut flip = false;
    let mut change_group = c.benchmark_group("change to a 1,000-account vault");
    change_group.sample_size(20);
    change_group.bench_function("rename, then automatic backup", |b| {
        b.iter(|| {
            flip = !flip;
            vault.rename(id, if flip { "A" } else { "B" }, "x").unwrap();
            assert!(matches!(vault.take_backup_outcome(), Some(Ok(Some(_)))));
        })
    });
    change_group.finish();
    if let Some(vault_id) = vault.id() {
        let _ = SystemKeychain.delete(&vault_id.to_string());
    }
    let _ = SystemKeychain.delete(&jeton_core::keychain::backup_key_id(
        &settings.key_id.to_string(),
    ));
}

criterion_group!(backup_benches, benches);
criterion_main!(backup_benches);
