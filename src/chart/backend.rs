//! A drawing backend wrapper that measures text arithmetically.
//!
//! plotters' wasm font code measures every label by appending a `<span style="…">` to the page
//! and reading its size: that forces a layout per label and is refused under a strict
//! Content-Security-Policy (`style-src 'self'`). SVG text is laid out by the browser anyway, so
//! an estimate is all the axis layout needs. [`Measured`] delegates every drawing call to the
//! inner backend and answers `estimate_text_size` from character widths, so the same SVG comes
//! out natively (tests) and in the browser.

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

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
pub struct Measured<B: DrawingBackend> {
    inner: B,
    /// Factor applied to text sizes when drawing (1 for SVG, which divides by 1.24 itself;
    /// 1/1.24 for a canvas, which does not, so both render the same pixel size).
    text_scale: f64,
}

impl<B: DrawingBackend> Measured<B> {
    /// Wraps an SVG backend.
    pub fn svg(inner: B) -> Self {
        Measured {
            inner,
            text_scale: 1.0,
        }
    }
    /// Wraps a canvas backend (text drawn at the size the SVG backend would render).
    pub fn canvas(inner: B) -> Self {
        Measured {
            inner,
            text_scale: 1.0 / 1.24,
        }
    }
}

/// A text style with its size scaled.
struct Scaled<'a, S: BackendTextStyle>(&'a S, f64);

impl<S: BackendTextStyle> BackendTextStyle for Scaled<'_, S> {
    type FontError = S::FontError;
    fn color(&self) -> BackendColor {
        self.0.color()
    }
    fn size(&self) -> f64 {
        self.0.size() * self.1
    }
    fn transform(&self) -> plotters_backend::FontTransform {
        self.0.transform()
    }
    fn style(&self) -> plotters_backend::FontStyle {
        self.0.style()
    }
    fn anchor(&self) -> plotters_backend::text_anchor::Pos {
        self.0.anchor()
    }
    fn family(&self) -> plotters_backend::FontFamily<'_> {
        self.0.family()
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.0.layout_box(text)
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.0.draw(text, pos, draw)
    }
}

impl<B: DrawingBackend> DrawingBackend for Measured<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if self.text_scale == 1.0 {
            self.inner.draw_text(text, style, pos)
        } else {
            self.inner
                .draw_text(text, &Scaled(style, self.text_scale), pos)
        }
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
        self.inner.blit_bitmap(pos, size, src)
    }
}
