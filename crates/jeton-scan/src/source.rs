//! Frame sources: the camera abstraction, and a file-backed stand-in for tests.
//!
//! A camera is just something that yields frames until it is stopped; scanning
//! it means decoding frames until one of them holds a code. Putting that behind
//! a trait lets the same loop run over image files in tests and in CI, where no
//! camera exists.

use std::collections::VecDeque;
use std::path::PathBuf;

use crate::frame::LumaFrame;
use crate::{decode_luma, image_input, read_file, ScanError};

/// Something that produces luma frames one after the other (a camera, a video, files).
pub trait FrameSource {
    /// The next frame, or `Ok(None)` once the source has no more frames.
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, ScanError>;
}

/// A [`FrameSource`] that yields the images of a list of files, in order.
#[derive(Debug, Clone)]
pub struct ImageFileSource {
    pending: VecDeque<PathBuf>,
}

impl ImageFileSource {
    /// A source over `paths`; each file is read and decoded when its frame is asked for.
    pub fn new<I, P>(paths: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<PathBuf>,
    {
        Self {
            pending: paths.into_iter().map(Into::into).collect(),
        }
    }
}

impl FrameSource for ImageFileSource {
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, ScanError> {
        match self.pending.pop_front() {
            Some(path) => image_input::decode_to_luma(&read_file(&path)?).map(Some),
            None => Ok(None),
        }
    }
}

/// Decodes frames from `source` until one holds a QR code, reading at most `max_frames`.
///
/// Returns the payloads of the first frame that decodes, `Ok(None)` when the
/// source runs dry or `max_frames` frames held no code, and the source's error
/// as soon as it fails.
pub fn scan_source(
    source: &mut dyn FrameSource,
    max_frames: usize,
) -> Result<Option<Vec<String>>, ScanError> {
    for _ in 0..max_frames {
        let Some(frame) = source.next_frame()? else {
            return Ok(None);
        };
        let texts = decode_luma(&frame);
        if !texts.is_empty() {
            return Ok(Some(texts));
        }
    }
    Ok(None)
}
