//! The JSON files Jeton keeps beside the vault: `settings.json` (backup folder,
//! KDF parameters, unknown keys kept) and `backup-status.json`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(settings) = serde_json::from_slice::<jeton_core::settings::Settings>(data) {
        let _ = serde_json::to_vec(&settings);
    }
    let _ = serde_json::from_slice::<jeton_core::backup::auto::BackupStatus>(data);
});
