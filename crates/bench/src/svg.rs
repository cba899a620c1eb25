//! A log–log line plot written as SVG text by hand: the `plotters` crate cannot lay out axis
//! labels without a font backend (system font libraries or a bundled TTF), and this plot needs
//! only lines, markers and a few labels.

use std::fmt::Write as _;

/// One line of the plot.
#[derive(Debug, Clone)]
pub struct Line {
    /// Legend text.
    pub name: String,
    /// CSS colour.
    pub color: String,
    /// Dashed stroke.
    pub dashed: bool,
    /// Points (x, y, hollow marker: e.g. a timeout); non-positive values are dropped.
    pub points: Vec<(f64, f64, bool)>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A log–log plot of `lines` with a title and axis labels.
pub fn loglog(title: &str, xlabel: &str, ylabel: &str, lines: &[Line]) -> String {
    let (w, h) = (820.0, 520.0);
    let (l, r, t, b) = (80.0, 230.0, 40.0, 60.0);
    let pts: Vec<(f64, f64)> = lines
        .iter()
        .flat_map(|ln| ln.points.iter())
        .filter(|p| p.0 > 0.0 && p.1 > 0.0)
        .map(|p| (p.0.log10(), p.1.log10()))
        .collect();
    let fold = |f: fn(f64, f64) -> f64, init: f64, sel: fn(&(f64, f64)) -> f64| {
        pts.iter().map(sel).fold(init, f)
    };
    let x0 = fold(f64::min, f64::INFINITY, |p| p.0).floor();
    let x1 = fold(f64::max, f64::NEG_INFINITY, |p| p.0).ceil();
    let y0 = fold(f64::min, f64::INFINITY, |p| p.1).floor();
    let y1 = fold(f64::max, f64::NEG_INFINITY, |p| p.1).ceil();
    let (x0, x1) = if x0.is_finite() && x1 > x0 {
        (x0, x1)
    } else {
        (0.0, 1.0)
    };
    let (y0, y1) = if y0.is_finite() && y1 > y0 {
        (y0, y1)
    } else {
        (0.0, 1.0)
    };
    let px = |x: f64| l + (x - x0) / (x1 - x0) * (w - l - r);
    let py = |y: f64| h - b - (y - y0) / (y1 - y0) * (h - t - b);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" font-size="15" text-anchor="middle">{}</text>"#,
        (l + w - r) / 2.0,
        escape(title)
    );
    let mut d = x0 as i32;
    while d as f64 <= x1 {
        let x = px(d as f64);
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{t}" x2="{x:.1}" y2="{}" stroke="#ddd"/><text x="{x:.1}" y="{}" text-anchor="middle">1e{d}</text>"##,
            h - b,
            h - b + 18.0
        );
        d += 1;
    }
    let mut d = y0 as i32;
    while d as f64 <= y1 {
        let y = py(d as f64);
        let _ = writeln!(
            s,
            r##"<line x1="{l}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">1e{d}</text>"##,
            w - r,
            l - 6.0,
            y + 4.0
        );
        d += 1;
    }
    let _ = writeln!(
        s,
        r#"<rect x="{l}" y="{t}" width="{}" height="{}" fill="none" stroke="black"/>"#,
        w - l - r,
        h - t - b
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        (l + w - r) / 2.0,
        h - 15.0,
        escape(xlabel)
    );
    let _ = writeln!(
        s,
        r#"<text x="20" y="{}" text-anchor="middle" transform="rotate(-90 20 {})">{}</text>"#,
        (t + h - b) / 2.0,
        (t + h - b) / 2.0,
        escape(ylabel)
    );
    for (i, ln) in lines.iter().enumerate() {
        let mut p: Vec<(f64, f64, bool)> = ln
            .points
            .iter()
            .filter(|p| p.0 > 0.0 && p.1 > 0.0)
            .map(|p| (px(p.0.log10()), py(p.1.log10()), p.2))
            .collect();
        p.sort_by(|a, b| a.0.total_cmp(&b.0));
        let path: Vec<String> = p.iter().map(|(x, y, _)| format!("{x:.1},{y:.1}")).collect();
        let dash = if ln.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{dash}/>"#,
            path.join(" "),
            ln.color
        );
        for (x, y, hollow) in &p {
            let fill = if *hollow { "white" } else { ln.color.as_str() };
            let _ = writeln!(
                s,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{fill}" stroke="{}"/>"#,
                ln.color
            );
        }
        let ly = t + 10.0 + i as f64 * 20.0;
        let lx = w - r + 12.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{}" stroke-width="2"{dash}/><text x="{}" y="{}">{}</text>"#,
            lx + 24.0,
            ln.color,
            lx + 30.0,
            ly + 4.0,
            escape(&ln.name)
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" font-size="11">hollow marker: timeout/unknown</text>"#,
        w - r + 12.0,
        t + 10.0 + lines.len() as f64 * 20.0 + 10.0
    );
    s.push_str("</svg>\n");
    s
}
