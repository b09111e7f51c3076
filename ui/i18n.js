// Every string of the UI in English and Canadian French, and the helpers that put
// them in the page. Elements name their string with data-i18n (text),
// data-i18n-placeholder, data-i18n-aria (aria-label) or data-i18n-title.

export const dictionaries = {
  en: {
    "app.name": "Jeton",
    "lang.switch": "Français",
    "lang.switch_label": "Afficher en français",
    "nav.add": "Add account",
    "nav.trash": "Trash",
    "nav.back": "Back",
    "search.label": "Search accounts",
    "search.placeholder": "Search",
    "codes.list_label": "Accounts",
    "codes.hint": "Enter or click copies the code. F2 renames. Delete moves the account to the trash.",
    "codes.copied": "Code copied",
    "codes.copied_for": "Code for {name} copied. It will be cleared from the clipboard in 30 seconds.",
    "codes.next": "Next",
    "codes.seconds_left": "{seconds} s",
    "codes.hotp_next": "Next code",
    "codes.hotp_next_label": "Show the next code for {name}",
    "codes.counter": "Counter {counter}",
    "codes.rename": "Rename",
    "codes.rename_label": "Rename {name}",
    "codes.delete": "Move to trash",
    "codes.delete_label": "Move {name} to the trash",
    "codes.copy_label": "Copy code for {name}",
    "codes.no_match": "No account matches your search.",
    "codes.deleted": "{name} moved to the trash.",
    "codes.undo": "Undo",
    "codes.restored": "{name} restored.",
    "empty.text": "Add the account your organization asks you to protect: open its QR code or paste its link, and Jeton shows the codes here.",
    "empty.button": "Add your first account",
    "rename.issuer": "Issuer",
    "rename.account": "Account",
    "rename.save": "Save",
    "rename.cancel": "Cancel",
    "rename.saved": "Renamed.",
    "add.title": "Add an account",
    "add.scan_title": "Scan a QR code",
    "add.scan_screen": "Scan from screen",
    "add.open_image": "Open image",
    "add.paste_image": "Paste image",
    "add.camera": "Camera",
    "add.scan_soon": "Scanning is coming in the next version. For now, paste the link or enter the key by hand.",
    "add.link_title": "Paste a link",
    "add.link_label": "Link from the QR code",
    "add.link_placeholder": "otpauth://totp/…",
    "add.link_button": "Add",
    "add.manual_title": "Enter a key by hand",
    "add.manual_help": "Use the details shown under “Unable to scan?” on the setup page.",
    "add.issuer": "Issuer (organization or site)",
    "add.issuer_placeholder": "e.g. CCOMTL",
    "add.account": "Account",
    "add.account_placeholder": "e.g. your user name",
    "add.secret": "Key",
    "add.secret_help": "Spaces are fine: type it as shown.",
    "add.advanced": "Advanced options",
    "add.kind": "Type",
    "add.kind_totp": "Time-based (TOTP)",
    "add.kind_hotp": "Counter-based (HOTP)",
    "add.kind_steam": "Steam Guard",
    "add.algorithm": "Algorithm",
    "add.digits": "Digits",
    "add.period": "Period (seconds)",
    "add.counter": "Counter",
    "add.manual_button": "Add account",
    "add.adding": "Adding…",
    "enrol.title": "Account added",
    "enrol.type_now": "Type this code now",
    "enrol.type_now_help": "Enter it on the setup page before it changes. If it changes first, type the new one.",
    "enrol.valid_for": "Changes in {seconds} s",
    "enrol.hotp_help": "Enter this code on the setup page.",
    "enrol.copy_code": "Copy code",
    "enrol.device_title": "Device name",
    "enrol.device_help": "If the page asks for a device name, you can use:",
    "enrol.copy_device": "Copy name",
    "enrol.device_copied": "Device name copied",
    "enrol.done": "Done",
    "enrol.warnings": "Good to know",
    "trash.title": "Trash",
    "trash.help": "Accounts you delete wait here until you restore them or delete them for good.",
    "trash.empty": "The trash is empty.",
    "trash.restore": "Restore",
    "trash.restore_label": "Restore {name}",
    "trash.purge": "Delete forever",
    "trash.purge_label": "Delete {name} forever",
    "trash.deleted_on": "Deleted {date}",
    "trash.confirm_title": "Delete forever?",
    "trash.confirm_text": "{name} will be removed for good. You will need the site to set up two-step verification again to get its codes back.",
    "trash.confirm_button": "Delete forever",
    "trash.cancel": "Cancel",
    "trash.purged": "{name} deleted forever.",
    "clock.warning": "Your computer’s clock is not synchronized with network time. Codes depend on the exact time: if a site refuses a code, turn on automatic date and time in your system settings.",
    "error.retry": "Try again",
    "error.dismiss": "Dismiss",
    "warning.short_secret": "This key is short ({bits} bits). Codes will work, but the site uses weaker protection than recommended.",
    "warning.unusual_digits": "Codes have {digits} digits, which is unusual. Check that this matches the site.",
    "name.unnamed": "Unnamed account",
    "errors.uri.wrong_scheme": "This is not a setup link. It should start with otpauth://. Copy the link again, or enter the key by hand.",
    "errors.uri.malformed": "This setup link is incomplete or damaged. Copy it again, or enter the key by hand.",
    "errors.uri.unknown_type": "This link is for a kind of code Jeton does not know (only time-based, counter-based and Steam).",
    "errors.secret.missing": "Enter the key shown on the setup page.",
    "errors.secret.invalid": "This key has characters a key cannot contain. Keys use the letters A to Z and the digits 2 to 7.",
    "errors.otp.unsupported_algorithm": "This account uses an algorithm Jeton does not support.",
    "errors.otp.digits_out_of_range": "The number of digits must be between 1 and 9.",
    "errors.otp.period_out_of_range": "The period must be a whole number of seconds, at least 1.",
    "errors.otp.invalid_counter": "The counter must be a whole number, 0 or more.",
    "errors.input.too_large": "This is far too long to be a setup link or key.",
    "errors.migration.invalid": "This Google Authenticator transfer link cannot be read.",
    "errors.vault.duplicate": "This account is already in Jeton.",
    "errors.vault.not_found": "This account no longer exists. The list has been refreshed.",
    "errors.vault.ambiguous": "More than one account matches.",
    "errors.vault.not_hotp": "This account is not counter-based.",
    "errors.keychain.key_missing": "Jeton’s key is missing from your system keychain, so your accounts cannot be opened. They are untouched: restore the keychain, then try again.",
    "errors.keychain.locked": "Your system keychain is locked. Unlock it (or log in again), then try again.",
    "errors.keychain.unavailable": "No system keychain is available. Jeton keeps its key there: start your desktop’s keychain (such as GNOME Keyring or KWallet), then try again.",
    "errors.keychain.failed": "The system keychain reported a problem. Try again.",
    "errors.keychain.key_corrupt": "The key in your system keychain is not a Jeton key. Your accounts are untouched.",
    "errors.vault.corrupt": "Jeton’s data file cannot be read. It was not changed.",
    "errors.vault.too_new": "Your accounts were saved by a newer version of Jeton. Update Jeton to open them.",
    "errors.io.failed": "Jeton could not read or save its data file.",
    "errors.io.no_data_dir": "Jeton found no folder to keep its data in.",
    "errors.clipboard.failed": "The clipboard could not be used.",
    "errors.app.invalid_id": "This account could not be found.",
    "errors.unknown": "Something went wrong.",
  },
  fr: {
    "app.name": "Jeton",
    "lang.switch": "English",
    "lang.switch_label": "Show in English",
    "nav.add": "Ajouter un compte",
    "nav.trash": "Corbeille",
    "nav.back": "Retour",
    "search.label": "Rechercher un compte",
    "search.placeholder": "Rechercher",
    "codes.list_label": "Comptes",
    "codes.hint": "Entrée ou un clic copie le code. F2 renomme. Suppr place le compte dans la corbeille.",
    "codes.copied": "Code copié",
    "codes.copied_for": "Code de {name} copié. Il sera effacé du presse-papiers dans 30 secondes.",
    "codes.next": "Suivant",
    "codes.seconds_left": "{seconds} s",
    "codes.hotp_next": "Code suivant",
    "codes.hotp_next_label": "Afficher le code suivant de {name}",
    "codes.counter": "Compteur {counter}",
    "codes.rename": "Renommer",
    "codes.rename_label": "Renommer {name}",
    "codes.delete": "Mettre à la corbeille",
    "codes.delete_label": "Mettre {name} à la corbeille",
    "codes.copy_label": "Copier le code de {name}",
    "codes.no_match": "Aucun compte ne correspond à votre recherche.",
    "codes.deleted": "{name} a été placé dans la corbeille.",
    "codes.undo": "Annuler",
    "codes.restored": "{name} a été restauré.",
    "empty.text": "Ajoutez le compte que votre organisation vous demande de protéger : ouvrez son code QR ou collez son lien, et Jeton affichera les codes ici.",
    "empty.button": "Ajouter votre premier compte",
    "rename.issuer": "Émetteur",
    "rename.account": "Compte",
    "rename.save": "Enregistrer",
    "rename.cancel": "Annuler",
    "rename.saved": "Compte renommé.",
    "add.title": "Ajouter un compte",
    "add.scan_title": "Lire un code QR",
    "add.scan_screen": "Lire à l’écran",
    "add.open_image": "Ouvrir une image",
    "add.paste_image": "Coller une image",
    "add.camera": "Caméra",
    "add.scan_soon": "La lecture de codes QR arrive dans la prochaine version. D’ici là, collez le lien ou entrez la clé à la main.",
    "add.link_title": "Coller un lien",
    "add.link_label": "Lien du code QR",
    "add.link_placeholder": "otpauth://totp/…",
    "add.link_button": "Ajouter",
    "add.manual_title": "Entrer une clé à la main",
    "add.manual_help": "Utilisez les renseignements affichés sous « Impossible de numériser? » sur la page de configuration.",
    "add.issuer": "Émetteur (organisation ou site)",
    "add.issuer_placeholder": "p. ex. CCOMTL",
    "add.account": "Compte",
    "add.account_placeholder": "p. ex. votre nom d’utilisateur",
    "add.secret": "Clé",
    "add.secret_help": "Les espaces sont acceptées : tapez-la telle qu’affichée.",
    "add.advanced": "Options avancées",
    "add.kind": "Type",
    "add.kind_totp": "Basé sur le temps (TOTP)",
    "add.kind_hotp": "Basé sur un compteur (HOTP)",
    "add.kind_steam": "Steam Guard",
    "add.algorithm": "Algorithme",
    "add.digits": "Chiffres",
    "add.period": "Période (secondes)",
    "add.counter": "Compteur",
    "add.manual_button": "Ajouter le compte",
    "add.adding": "Ajout en cours…",
    "enrol.title": "Compte ajouté",
    "enrol.type_now": "Tapez ce code maintenant",
    "enrol.type_now_help": "Entrez-le sur la page de configuration avant qu’il change. S’il change avant, tapez le nouveau.",
    "enrol.valid_for": "Change dans {seconds} s",
    "enrol.hotp_help": "Entrez ce code sur la page de configuration.",
    "enrol.copy_code": "Copier le code",
    "enrol.device_title": "Nom de l’appareil",
    "enrol.device_help": "Si la page demande un nom d’appareil, vous pouvez utiliser :",
    "enrol.copy_device": "Copier le nom",
    "enrol.device_copied": "Nom de l’appareil copié",
    "enrol.done": "Terminé",
    "enrol.warnings": "Bon à savoir",
    "trash.title": "Corbeille",
    "trash.help": "Les comptes supprimés attendent ici jusqu’à ce que vous les restauriez ou les supprimiez définitivement.",
    "trash.empty": "La corbeille est vide.",
    "trash.restore": "Restaurer",
    "trash.restore_label": "Restaurer {name}",
    "trash.purge": "Supprimer définitivement",
    "trash.purge_label": "Supprimer {name} définitivement",
    "trash.deleted_on": "Supprimé le {date}",
    "trash.confirm_title": "Supprimer définitivement?",
    "trash.confirm_text": "{name} sera supprimé pour de bon. Pour en retrouver les codes, il faudra configurer de nouveau la vérification en deux étapes sur le site.",
    "trash.confirm_button": "Supprimer définitivement",
    "trash.cancel": "Annuler",
    "trash.purged": "{name} a été supprimé définitivement.",
    "clock.warning": "L’horloge de votre ordinateur n’est pas synchronisée avec l’heure du réseau. Les codes dépendent de l’heure exacte : si un site refuse un code, activez la date et l’heure automatiques dans les paramètres du système.",
    "error.retry": "Réessayer",
    "error.dismiss": "Fermer",
    "warning.short_secret": "Cette clé est courte ({bits} bits). Les codes fonctionneront, mais le site utilise une protection plus faible que recommandé.",
    "warning.unusual_digits": "Les codes ont {digits} chiffres, ce qui est inhabituel. Vérifiez que cela correspond au site.",
    "name.unnamed": "Compte sans nom",
    "errors.uri.wrong_scheme": "Ce n’est pas un lien de configuration. Il doit commencer par otpauth://. Copiez le lien de nouveau ou entrez la clé à la main.",
    "errors.uri.malformed": "Ce lien de configuration est incomplet ou abîmé. Copiez-le de nouveau ou entrez la clé à la main.",
    "errors.uri.unknown_type": "Ce lien est pour un type de code que Jeton ne connaît pas (seulement basé sur le temps, sur un compteur ou Steam).",
    "errors.secret.missing": "Entrez la clé affichée sur la page de configuration.",
    "errors.secret.invalid": "Cette clé contient des caractères qu’une clé ne peut pas contenir. Les clés utilisent les lettres A à Z et les chiffres 2 à 7.",
    "errors.otp.unsupported_algorithm": "Ce compte utilise un algorithme que Jeton ne prend pas en charge.",
    "errors.otp.digits_out_of_range": "Le nombre de chiffres doit être entre 1 et 9.",
    "errors.otp.period_out_of_range": "La période doit être un nombre entier de secondes, au moins 1.",
    "errors.otp.invalid_counter": "Le compteur doit être un nombre entier, 0 ou plus.",
    "errors.input.too_large": "C’est beaucoup trop long pour être un lien de configuration ou une clé.",
    "errors.migration.invalid": "Ce lien de transfert Google Authenticator est illisible.",
    "errors.vault.duplicate": "Ce compte est déjà dans Jeton.",
    "errors.vault.not_found": "Ce compte n’existe plus. La liste a été actualisée.",
    "errors.vault.ambiguous": "Plus d’un compte correspond.",
    "errors.vault.not_hotp": "Ce compte n’est pas basé sur un compteur.",
    "errors.keychain.key_missing": "La clé de Jeton est absente du trousseau du système : vos comptes ne peuvent pas être ouverts. Ils sont intacts : restaurez le trousseau, puis réessayez.",
    "errors.keychain.locked": "Le trousseau du système est verrouillé. Déverrouillez-le (ou reconnectez-vous), puis réessayez.",
    "errors.keychain.unavailable": "Aucun trousseau du système n’est disponible. Jeton y garde sa clé : démarrez le trousseau de votre bureau (comme GNOME Keyring ou KWallet), puis réessayez.",
    "errors.keychain.failed": "Le trousseau du système a signalé un problème. Réessayez.",
    "errors.keychain.key_corrupt": "La clé dans le trousseau du système n’est pas une clé de Jeton. Vos comptes sont intacts.",
    "errors.vault.corrupt": "Le fichier de données de Jeton est illisible. Il n’a pas été modifié.",
    "errors.vault.too_new": "Vos comptes ont été enregistrés par une version plus récente de Jeton. Mettez Jeton à jour pour les ouvrir.",
    "errors.io.failed": "Jeton n’a pas pu lire ou enregistrer son fichier de données.",
    "errors.io.no_data_dir": "Jeton n’a trouvé aucun dossier où garder ses données.",
    "errors.clipboard.failed": "Le presse-papiers n’a pas pu être utilisé.",
    "errors.app.invalid_id": "Ce compte est introuvable.",
    "errors.unknown": "Un problème est survenu.",
  },
};

let current = "en";

/** Picks "fr" or "en" from a saved choice, else the OS or browser locale. */
export function chooseLanguage(saved, osLocale, browserLocale) {
  if (saved === "fr" || saved === "en") return saved;
  const locale = (osLocale || browserLocale || "en").toLowerCase();
  return locale.startsWith("fr") ? "fr" : "en";
}

/** The language in use. */
export function language() {
  return current;
}

/** The BCP 47 locale for dates in the language in use. */
export function locale() {
  return current === "fr" ? "fr-CA" : "en-CA";
}

/** Sets the language in use and translates the page. */
export function setLanguage(lang, root = document) {
  current = dictionaries[lang] ? lang : "en";
  document.documentElement.lang = locale();
  translatePage(root);
}

/** The string `key` in the language in use, with {placeholders} filled in. */
export function t(key, params = {}) {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The translated message for an error `{code, message}` from Rust. */
export function errorText(error) {
  const key = `errors.${error?.code}`;
  if (dictionaries[current][key]) return t(key);
  return error?.message || t("errors.unknown");
}

/** The translated text of a core warning `{code, ...}`. */
export function warningText(warning) {
  const key = `warning.${warning.code}`;
  return dictionaries[current][key] ? t(key, warning) : warning.code;
}

/** Applies data-i18n* attributes under `root`. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]"))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-aria]"))
    el.setAttribute("aria-label", t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}
