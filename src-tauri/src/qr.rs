//! QR codes as module matrices for the page to draw on a `<canvas>`: no image URL
//! (nothing for the CSP to allow) and no image file left anywhere.
//!
//! Only two commands send one, both behind the `reveal` capability: an account's
//! own QR code ("Show QR code") and the Google transfer codes ("Move to a phone").
//! A matrix is as secret as the key it encodes, so its buffer is wiped on drop.

use serde::Serialize;
use zeroize::Zeroize;

use crate::AppError;

/// A QR code: `width` × `width` modules, row by row, `'1'` for dark.
#[derive(Serialize)]
pub struct QrMatrix {
    /// Modules per side (without the quiet zone, which the page adds).
    width: usize,
    /// One character per module, row after row.
    modules: String,
}

impl Drop for QrMatrix {
    fn drop(&mut self) {
        self.modules.zeroize();
    }
}

/// The QR code of `data` (medium error correction, as authenticator apps scan best).
pub fn matrix(data: &[u8]) -> Result<QrMatrix, AppError> {
    let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
        .map_err(|e| AppError::Qr(e.to_string()))?;
    let mut colors = code.to_colors();
    let modules = colors
        .iter()
        .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
        .collect();
    colors.iter_mut().for_each(|c| *c = qrcode::Color::Light);
    Ok(QrMatrix {
        width: code.width(),
        modules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_is_square_and_has_finder_patterns() {
        let qr = matrix(b"otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(qr.modules.len(), qr.width * qr.width);
        // The top-left finder pattern starts with seven dark modules.
        assert_eq!(&qr.modules[..7], "1111111");
        assert!(qr.modules.chars().all(|c| c == '0' || c == '1'));
    }
}
