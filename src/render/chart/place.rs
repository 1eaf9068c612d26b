//! Where a chart's words go: each label's box estimated in drawing units, and placed at the
//! first free spot among its candidates, so that no label overlaps another, the line, a bar,
//! a point or the edge of the drawing. A label with no free spot is left out, never drawn
//! over something.

/// The largest font size the theme gives chart text, in drawing units (14 px text and 15 px
/// emphasised labels on a narrow screen, where the drawing is widest relative to the text).
pub(super) const FONT: f64 = 15.0;
/// A character's width as a share of the font size: as wide as the widest common sans-serif
/// (DejaVu Sans Bold, where a digit is 0.7 em, is what `system-ui` falls back to on many Linux
/// systems), so that an estimate errs on the side of room; `%`, `m`, `W` and capitals are
/// wider still.
fn char_width(c: char) -> f64 {
    match c {
        '%' | 'm' | 'w' | 'M' | 'W' => 1.05,
        c if c.is_uppercase() => 0.8,
        _ => 0.7,
    }
}
/// One line of text, top to bottom.
pub(super) const ROW: f64 = 1.2 * FONT;
/// Room kept between two things that must not touch.
const PAD: f64 = 1.0;

/// A box, in drawing units; `y` grows downwards.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rect {
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

impl Rect {
    pub(super) fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect { x0, y0, x1, y1 }
    }

    /// Whether the two boxes overlap or come within [`PAD`] of each other.
    pub(super) fn meets(&self, o: &Rect) -> bool {
        self.x0 < o.x1 + PAD && o.x0 < self.x1 + PAD && self.y0 < o.y1 + PAD && o.y0 < self.y1 + PAD
    }

    fn within(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    /// Whether the segment from `a` to `b` passes through the box (grown by [`PAD`]):
    /// Liang and Barsky's clipping, which keeps the part of a segment inside a box.
    pub(super) fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, a.0 - (self.x0 - PAD)),
            (dx, (self.x1 + PAD) - a.0),
            (-dy, a.1 - (self.y0 - PAD)),
            (dy, (self.y1 + PAD) - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        t0 <= t1
    }
}

/// How a text is aligned on its `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A text at a spot: `y` is its baseline.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Label {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) anchor: Anchor,
    pub(super) text: String,
    pub(super) class: &'static str,
}

impl Label {
    pub(super) fn new(x: f64, y: f64, anchor: Anchor, text: &str, class: &'static str) -> Label {
        Label {
            x,
            y,
            anchor,
            text: text.to_string(),
            class,
        }
    }

    /// The box the text may take at the largest font size: ascenders above the baseline,
    /// descenders below.
    pub(super) fn rect(&self) -> Rect {
        let w = self.text.chars().map(char_width).sum::<f64>() * FONT;
        let x0 = match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - w / 2.0,
            Anchor::End => self.x - w,
        };
        Rect::new(x0, self.y - 0.95 * FONT, x0 + w, self.y + 0.25 * FONT)
    }
}

/// What is already drawn, and the area a kind of label may use.
#[derive(Clone, Debug)]
pub(super) struct Placer {
    pub(super) bounds: Rect,
    pub(super) boxes: Vec<Rect>,
    pub(super) segments: Vec<((f64, f64), (f64, f64))>,
}

impl Placer {
    pub(super) fn new(bounds: Rect) -> Placer {
        Placer {
            bounds,
            boxes: Vec::new(),
            segments: Vec::new(),
        }
    }

    pub(super) fn free(&self, r: &Rect) -> bool {
        r.within(&self.bounds)
            && !self.boxes.iter().any(|b| b.meets(r))
            && !self.segments.iter().any(|&(a, b)| r.crossed_by(a, b))
    }

    /// The first candidate whose box is free, which then takes its room.
    pub(super) fn place(&mut self, candidates: impl IntoIterator<Item = Label>) -> Option<Label> {
        let found = candidates.into_iter().find(|l| self.free(&l.rect()))?;
        self.boxes.push(found.rect());
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_and_segments_meet_as_drawn() {
        let r = Rect::new(10.0, 10.0, 20.0, 20.0);
        assert!(r.meets(&Rect::new(15.0, 15.0, 30.0, 30.0)));
        assert!(!r.meets(&Rect::new(22.0, 10.0, 30.0, 20.0)));
        assert!(r.crossed_by((0.0, 0.0), (30.0, 30.0)), "diagonal through");
        assert!(r.crossed_by((15.0, 15.0), (16.0, 16.0)), "inside");
        assert!(!r.crossed_by((0.0, 30.0), (30.0, 30.0)), "below");
        assert!(!r.crossed_by((0.0, 15.0), (5.0, 30.0)), "short of it");
        assert!(r.crossed_by((15.0, 0.0), (15.0, 40.0)), "vertical through");
    }

    #[test]
    fn a_label_takes_the_first_free_spot_or_none() {
        let mut p = Placer::new(Rect::new(0.0, 0.0, 100.0, 100.0));
        let a = p.place([Label::new(50.0, 50.0, Anchor::Middle, "50%", "x")]);
        assert!(a.is_some());
        let b = p.place([
            Label::new(50.0, 50.0, Anchor::Middle, "60%", "x"),
            Label::new(50.0, 80.0, Anchor::Middle, "60%", "x"),
        ]);
        assert_eq!(b.map(|l| l.y), Some(80.0));
        assert!(
            p.place([Label::new(99.0, 50.0, Anchor::Start, "9", "x")])
                .is_none(),
            "past the edge"
        );
    }
}
