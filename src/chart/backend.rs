//! A drawing backend wrapper that measures text arithmetically.
//!
//! plotters' wasm font code measures every label by appending a `<span style="…">` to the page
//! and reading its size: that forces a layout per label and is refused under a strict
//! Content-Security-Policy (`style-src 'self'`). SVG text is laid out by the browser anyway, so
//! an estimate is all the axis layout needs. [`Measured`] delegates every drawing call to the
//! inner backend and answers `estimate_text_size` from character widths, so the same SVG comes
//! out natively (tests) and in the browser.

use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};

/// Average advance of a sans-serif glyph, in ems (DejaVu Sans digits are 0.636 em, Arial's
/// 0.556; lower-case text averages about 0.55). 0.6 errs on the wide side so labels get room.
pub const EM_ADVANCE: f64 = 0.6;

/// Rendered font size for a plotters text size: the SVG backend writes `font-size = size/1.24`.
pub fn rendered_px(size: f64) -> f64 {
    size / 1.24
}

/// Estimated (width, height) in pixels of `text` at plotters size `size`.
pub fn text_size(text: &str, size: f64) -> (u32, u32) {
    let px = rendered_px(size);
    let chars = text.chars().count() as f64;
    ((chars * px * EM_ADVANCE).ceil() as u32, px.ceil() as u32)
}

/// Any backend, with arithmetic text measurement.
pub struct Measured<B: DrawingBackend>(pub B);

impl<B: DrawingBackend> DrawingBackend for Measured<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(text_size(text, style.size()))
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }
}
