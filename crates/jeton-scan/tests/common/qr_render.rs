//! Renders QR codes into luma pixels for tests (via the `qrcode` crate).

use qrcode::{Color, EcLevel, QrCode};

/// A Keycloak-style TOTP enrolment URI, as in the hospital enrolment guides.
pub const KEYCLOAK_URI: &str = "otpauth://totp/CCOMTL:WXYZ2620?secret=GVLUGQ2TIVXFS4LYGNZFQTCFOVQW2RKM&digits=6&algorithm=HmacSHA1&issuer=CCOMTL&period=30";

/// An Authy/Google-Authenticator-style URI with an escaped issuer and account.
pub const ONEGOV_URI: &str = "otpauth://totp/OneGov%20GED:marie.tremblay%40gouv.qc.ca?secret=JBSWY3DPEHPK3PXP&issuer=OneGov%20GED";

/// `text` as a QR code: dark modules 0, light 255, `module_px` pixels per
/// module and a 4-module quiet zone. Returns (side, pixels).
pub fn render_qr(text: &str, module_px: usize) -> (u32, Vec<u8>) {
    let code = QrCode::with_error_correction_level(text, EcLevel::M).expect("encodable");
    let modules = code.width();
    let dark: Vec<bool> = code.to_colors().iter().map(|&c| c == Color::Dark).collect();
    let quiet = 4;
    let side = (modules + 2 * quiet) * module_px;
    let mut pixels = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (x / module_px, y / module_px);
            if (quiet..quiet + modules).contains(&mx)
                && (quiet..quiet + modules).contains(&my)
                && dark[(my - quiet) * modules + (mx - quiet)]
            {
                pixels[y * side + x] = 0;
            }
        }
    }
    (side as u32, pixels)
}
