//! The few strings Rust shows itself (the tray's menu, the one-time tray notice),
//! in English and Canadian French: the language the user chose in the window,
//! else the OS's.

/// Strings of one language.
pub struct Text {
    /// Tray menu: open the window.
    pub show: &'static str,
    /// Tray menu: quit.
    pub quit: &'static str,
    /// Tray menu, when the vault holds no account.
    pub no_accounts: &'static str,
    /// Tray menu, when the vault cannot be opened (the window says why).
    pub vault_unavailable: &'static str,
    /// Tray menu, after the first accounts, when there are more.
    pub more_accounts: &'static str,
    /// The tray icon's tooltip.
    pub tooltip: &'static str,
    /// Shown once, the first time the window closes to the tray.
    pub tray_notice: &'static str,
    /// The quick-search popup's window title (screen readers, window lists).
    pub quick_title: &'static str,
}

const EN: Text = Text {
    show: "Show Jeton",
    quit: "Quit Jeton",
    no_accounts: "No accounts yet",
    vault_unavailable: "Jeton cannot open its accounts: show the window to see why",
    more_accounts: "More accounts in the window…",
    tooltip: "Jeton: click an account to copy its code",
    tray_notice: "Jeton keeps running in the tray, so a code is one click away. Quit it from the tray's menu. You can change this in Settings.",
    quick_title: "Jeton quick search",
};

const FR: Text = Text {
    show: "Afficher Jeton",
    quit: "Quitter Jeton",
    no_accounts: "Aucun compte pour l’instant",
    vault_unavailable: "Jeton ne peut pas ouvrir ses comptes : affichez la fenêtre pour savoir pourquoi",
    more_accounts: "Plus de comptes dans la fenêtre…",
    tooltip: "Jeton : cliquez sur un compte pour copier son code",
    tray_notice: "Jeton reste ouvert dans la zone de notification : un code est à un clic. Quittez-le depuis le menu de son icône. Vous pouvez changer ce choix dans les Paramètres.",
    quick_title: "Recherche rapide Jeton",
};

/// The strings in the user's language.
pub fn strings() -> &'static Text {
    let chosen = super::settings::load().language;
    let language = chosen.or_else(crate::system::locale).unwrap_or_default();
    if language.to_ascii_lowercase().starts_with("fr") {
        &FR
    } else {
        &EN
    }
}
