//! Local-mean thresholding: black/white from greyscale under uneven light.
//!
//! rqrr's built-in threshold is a moving average along each row, which smears
//! across shadows and glare in photos. Comparing each pixel with the mean of a
//! square window around it (via an integral image, so any window size costs the
//! same) keeps finder patterns intact where the row average does not.

use crate::frame::LumaFrame;

/// Dark/light map of `frame`: `true` where a pixel is darker than the mean of
/// its neighbourhood.
///
/// The window is a square of side `2 * radius + 1`, clipped at the borders.
pub(crate) fn local_mean_threshold(frame: &LumaFrame, radius: usize) -> Vec<bool> {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let integral = integral_image(frame);
    let stride = w + 1;
    let mut dark = Vec::with_capacity(w * h);
    for y in 0..h {
        let top = y.saturating_sub(radius);
        let bottom = (y + radius + 1).min(h);
        let row = &frame.data()[y * w..(y + 1) * w];
        for (x, &value) in row.iter().enumerate() {
            let left = x.saturating_sub(radius);
            let right = (x + radius + 1).min(w);
            let sum = integral[bottom * stride + right] + integral[top * stride + left]
                - integral[top * stride + right]
                - integral[bottom * stride + left];
            let area = ((bottom - top) * (right - left)) as u64;
            // value < sum / area, without division.
            dark.push(u64::from(value) * area < sum);
        }
    }
    dark
}

/// Summed-area table with a zero first row and column: `(w + 1) * (h + 1)` entries.
fn integral_image(frame: &LumaFrame) -> Vec<u64> {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let stride = w + 1;
    let mut integral = vec![0u64; stride * (h + 1)];
    for y in 0..h {
        let mut row_sum = 0u64;
        for x in 0..w {
            row_sum += u64::from(frame.pixel(x, y));
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row_sum;
        }
    }
    integral
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_square_on_an_uneven_background_stays_dark() {
        // Background brightens from 60 (left) to 250 (right); a square at 40%
        // of the local background sits on the bright side, darker than the left edge.
        let (w, h) = (40u32, 20u32);
        let mut data: Vec<u8> = (0..w * h)
            .map(|i| (60 + (i % w) * 190 / (w - 1)) as u8)
            .collect();
        for y in 6..14 {
            for x in 28..36 {
                let i = (y * w + x) as usize;
                data[i] = (u32::from(data[i]) * 4 / 10) as u8;
            }
        }
        let frame = LumaFrame::from_luma(w, h, data).expect("frame");
        let dark = local_mean_threshold(&frame, 5);
        assert!(dark[(10 * w + 32) as usize], "square centre");
        assert!(!dark[(10 * w + 20) as usize], "background beside it");
    }
}
