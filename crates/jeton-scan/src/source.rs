//! Frame sources: the camera abstraction, and a file-backed stand-in for tests.
//!
//! A camera is just something that yields frames until it is stopped; scanning
//! it means decoding frames until one of them holds a code. Putting that behind
//! a trait lets the same loop run over image files in tests and in CI, where no
//! camera exists.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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

/// Recorded frames played back like a camera: decoded once, then handed out in
/// order, optionally in a loop and no faster than a given frame interval.
///
/// Tests, benchmarks and the app's debug-build "replay camera" feed real photos
/// through the live scanning path with it, where no camera exists.
#[derive(Debug, Clone)]
pub struct ReplaySource {
    frames: Vec<LumaFrame>,
    next: usize,
    looping: bool,
    interval: Duration,
    last_delivery: Option<Instant>,
}

impl ReplaySource {
    /// Plays `frames` once, as fast as they are asked for.
    pub fn new(frames: Vec<LumaFrame>) -> Self {
        Self {
            frames,
            next: 0,
            looping: false,
            interval: Duration::ZERO,
            last_delivery: None,
        }
    }

    /// Reads and decodes the image files at `paths` (PNG, JPEG, WebP) into a source.
    pub fn from_files<I, P>(paths: I) -> Result<Self, ScanError>
    where
        I: IntoIterator<Item = P>,
        P: Into<PathBuf>,
    {
        let mut files = ImageFileSource::new(paths);
        let mut frames = Vec::new();
        while let Some(frame) = files.next_frame()? {
            frames.push(frame);
        }
        Ok(Self::new(frames))
    }

    /// Delivers at most one frame per `interval`, as a camera at `1 / interval`
    /// frames per second would.
    pub fn paced(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Starts over after the last frame, for ever, at one frame per `interval`.
    pub fn looping(mut self, interval: Duration) -> Self {
        self.looping = true;
        self.paced(interval)
    }
}

impl FrameSource for ReplaySource {
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, ScanError> {
        if self.next >= self.frames.len() {
            if !self.looping || self.frames.is_empty() {
                return Ok(None);
            }
            self.next = 0;
        }
        if let Some(last) = self.last_delivery {
            std::thread::sleep(self.interval.saturating_sub(last.elapsed()));
        }
        self.last_delivery = Some(Instant::now());
        self.next += 1;
        Ok(Some(self.frames[self.next - 1].clone()))
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
