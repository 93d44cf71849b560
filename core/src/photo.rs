//! Profile and evidence photos: decoded under strict limits, oriented, shrunk, stripped of all
//! metadata (EXIF, GPS) by re-encoding the pixels, and stored as a compact JPEG.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};

use crate::error::{Error, InvalidReason, Result};

/// Largest photo file accepted, before decoding.
pub const MAX_PHOTO_BYTES: usize = 15 * 1024 * 1024;
/// Largest width or height a photo may declare; larger ones are refused before decoding.
pub const MAX_PHOTO_DIMENSION: u32 = 12_000;
/// Memory the decoder may allocate: stops decompression bombs that lie within the dimension cap.
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
/// Longest side of a stored profile photo, in pixels.
pub const PROFILE_PHOTO_SIDE: u32 = 512;
/// JPEG quality of stored photos: small files, no visible artefacts at this size.
pub const JPEG_QUALITY: u8 = 82;

/// A photo ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessedPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn not_an_image(field: &str, e: impl std::fmt::Display) -> Error {
    Error::invalid(field, InvalidReason::NotAnImage, format!("not a readable JPEG, PNG or WebP image ({e})"))
}

/// Decodes `bytes` (JPEG, PNG or WebP) under the limits, applies its orientation, shrinks it to
/// fit `max_side`, and re-encodes it as a JPEG without any metadata.
pub fn process_photo(field: &str, bytes: &[u8], max_side: u32) -> Result<ProcessedPhoto> {
    let img = decode(field, bytes)?;
    encode(field, &img, max_side, JPEG_QUALITY)
}

/// Like [`process_photo`], and the JPEG is at most `max_bytes`: the quality is lowered, then the
/// size, until it fits (evidence photos travel inside one sync change). The image is decoded once.
pub fn process_photo_within(field: &str, bytes: &[u8], max_side: u32, max_bytes: usize) -> Result<ProcessedPhoto> {
    let img = decode(field, bytes)?;
    let mut side = max_side;
    loop {
        for quality in [JPEG_QUALITY, 70, 55, 40] {
            let p = encode(field, &img, side, quality)?;
            if p.jpeg.len() <= max_bytes {
                return Ok(p);
            }
        }
        if side <= 64 {
            return Err(Error::invalid(field, InvalidReason::TooLong, format!("the photo cannot be made smaller than {max_bytes} bytes")));
        }
        side = side * 3 / 4;
    }
}

fn decode(field: &str, bytes: &[u8]) -> Result<DynamicImage> {
    if bytes.is_empty() {
        return Err(Error::invalid(field, InvalidReason::Empty, "the photo file is empty"));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(Error::invalid(
            field,
            InvalidReason::TooLong,
            format!("the photo is {} bytes; the limit is {MAX_PHOTO_BYTES}", bytes.len()),
        ));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| not_an_image(field, e))?;
    if reader.format().is_none() {
        return Err(not_an_image(field, "unknown format"));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_DIMENSION);
    limits.max_image_height = Some(MAX_PHOTO_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| decode_error(field, e))?;
    let orientation = decoder.orientation().map_err(|e| decode_error(field, e))?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| decode_error(field, e))?;
    img.apply_orientation(orientation);
    Ok(img)
}

fn encode(field: &str, img: &DynamicImage, max_side: u32, quality: u8) -> Result<ProcessedPhoto> {
    let resized;
    let img = if img.width() > max_side || img.height() > max_side {
        resized = img.resize(max_side, max_side, image::imageops::FilterType::Lanczos3);
        &resized
    } else {
        img
    };
    let rgb = flatten_on_white(img);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(&rgb)
        .map_err(|e| not_an_image(field, e))?;
    Ok(ProcessedPhoto { jpeg, width: rgb.width(), height: rgb.height() })
}

fn decode_error(field: &str, e: image::ImageError) -> Error {
    match e {
        image::ImageError::Limits(l) => Error::invalid(
            field,
            InvalidReason::TooLong,
            format!("the image is too large to decode safely ({l}); the limit is {MAX_PHOTO_DIMENSION} px per side"),
        ),
        other => not_an_image(field, other),
    }
}

/// JPEG has no transparency: composite transparent pixels over white rather than black.
fn flatten_on_white(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let blend = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([blend(p[0]), blend(p[1]), blend(p[2])])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgba, RgbaImage};

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbaImage::from_fn(w, h, |x, y| Rgba([(x % 256) as u8, (y % 256) as u8, 128, 255]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// A JPEG with an APP1 EXIF segment carrying a GPS marker string.
    fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_pixel(w, h, image::Rgb([200, 10, 10]));
        let mut plain = Vec::new();
        JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&img).unwrap();
        let payload = b"Exif\0\0MM\0*\0\0\0\x08\0\0GPSLatitude=43.2389N;Secret-Location";
        let mut out = plain[..2].to_vec(); // SOI
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn large_photo_is_shrunk_to_fit_and_reencoded_as_jpeg() {
        let p = process_photo("photo", &png(1600, 900), PROFILE_PHOTO_SIDE).unwrap();
        assert_eq!((p.width, p.height), (512, 288));
        assert_eq!(&p.jpeg[..2], &[0xFF, 0xD8]);
        assert_eq!(image::guess_format(&p.jpeg).unwrap(), ImageFormat::Jpeg);
    }

    #[test]
    fn small_photo_keeps_its_size() {
        let p = process_photo("photo", &png(100, 80), PROFILE_PHOTO_SIDE).unwrap();
        assert_eq!((p.width, p.height), (100, 80));
    }

    #[test]
    fn metadata_is_dropped() {
        let src = jpeg_with_exif(64, 64);
        assert!(src.windows(15).any(|w| w == b"Secret-Location"));
        let p = process_photo("photo", &src, PROFILE_PHOTO_SIDE).unwrap();
        assert!(!p.jpeg.windows(4).any(|w| w == b"Exif"));
        assert!(!p.jpeg.windows(15).any(|w| w == b"Secret-Location"));
    }

    #[test]
    fn non_images_and_truncated_files_are_rejected() {
        for bad in [b"hello, not an image".to_vec(), png(50, 50)[..60].to_vec()] {
            match process_photo("photo", &bad, PROFILE_PHOTO_SIDE) {
                Err(Error::Invalid { field, reason: InvalidReason::NotAnImage, .. }) => assert_eq!(field, "photo"),
                other => panic!("expected NotAnImage, got {other:?}"),
            }
        }
        assert!(matches!(process_photo("photo", &[], 512), Err(Error::Invalid { reason: InvalidReason::Empty, .. })));
    }

    #[test]
    fn decompression_bomb_is_refused_before_decoding() {
        // A tiny PNG that declares 20000 x 20000 pixels (1.6 GB of RGBA when decoded).
        let img = image::GrayImage::new(20_000, 20_000);
        let mut bomb = Cursor::new(Vec::new());
        img.write_to(&mut bomb, ImageFormat::Png).unwrap();
        let bomb = bomb.into_inner();
        assert!(bomb.len() < MAX_PHOTO_BYTES, "the bomb file itself is small: {}", bomb.len());
        match process_photo("photo", &bomb, PROFILE_PHOTO_SIDE) {
            Err(Error::Invalid { reason: InvalidReason::TooLong, message, .. }) => assert!(message.contains("too large")),
            other => panic!("expected a limits error, got {other:?}"),
        }
    }

    #[test]
    fn oversized_file_is_refused() {
        let big = vec![0u8; MAX_PHOTO_BYTES + 1];
        assert!(matches!(process_photo("photo", &big, 512), Err(Error::Invalid { reason: InvalidReason::TooLong, .. })));
    }

    #[test]
    fn a_photo_can_be_fitted_into_a_byte_budget() {
        // Noise compresses badly: at 512 px and quality 82 it is far above 20 KB.
        let img = RgbaImage::from_fn(900, 700, |x, y| {
            let h = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).wrapping_mul(2_246_822_519);
            Rgba([(h >> 24) as u8, (h >> 16) as u8, (h >> 8) as u8, 255])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        let p = process_photo_within("evidence", &out.into_inner(), 512, 20 * 1024).unwrap();
        assert!(p.jpeg.len() <= 20 * 1024, "{}", p.jpeg.len());
        assert_eq!(image::guess_format(&p.jpeg).unwrap(), ImageFormat::Jpeg);
        match process_photo_within("evidence", b"%PDF-1.7", 512, 20 * 1024) {
            Err(Error::Invalid { field, reason: InvalidReason::NotAnImage, .. }) => assert_eq!(field, "evidence"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn transparency_becomes_white() {
        let img = RgbaImage::from_pixel(8, 8, Rgba([0, 0, 0, 0]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        let p = process_photo("photo", &out.into_inner(), 512).unwrap();
        let back = image::load_from_memory(&p.jpeg).unwrap().to_rgb8();
        assert!(back.get_pixel(4, 4).0.iter().all(|&c| c > 240));
    }
}
