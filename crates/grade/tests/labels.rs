//! Pictures a person reads: in every demo's picture, in English and in Chinese, no two texts
//! drawn on the lanes and the axis (line labels, ends, ticks, lane names) overlap.

mod common;

use std::time::Duration;

use regex::Regex;

/// A text's box in the picture: left, top, right, bottom.
#[derive(Debug, Clone, Copy)]
struct Box2 {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// Every text of the lanes and the axis with its estimated box: a monospace character is 0.6
/// of the font size wide, a sans-serif one 0.55, a CJK one a whole font size.
fn boxes(svg: &str) -> Vec<(String, Box2)> {
    let group = Regex::new(r#"(?s)<g class="(mark|end)[^"]*"[^>]*>(.*?)</g>"#).expect("regex");
    let text = Regex::new(r#"<text([^>]*)>([^<]*)"#).expect("regex");
    let attr = |attrs: &str, name: &str| -> Option<String> {
        let re = Regex::new(&format!(r#"\b{name}="([^"]*)""#)).ok()?;
        Some(re.captures(attrs)?[1].to_string())
    };
    let mut out = Vec::new();
    let mut add = |attrs: &str, body: &str, size: f64, mono: bool| {
        let (Some(x), Some(y)) = (attr(attrs, "x"), attr(attrs, "y")) else {
            return;
        };
        let (Ok(x), Ok(y)) = (x.parse::<f64>(), y.parse::<f64>()) else {
            return;
        };
        let body = body
            .replace("&apos;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        let w: f64 = body
            .chars()
            .map(|c| match c as u32 {
                0x2E80..=0xA4CF | 0xFF00..=0xFF60 => size,
                _ if mono => 0.6 * size,
                _ => 0.55 * size,
            })
            .sum();
        let x0 = match attr(attrs, "text-anchor").as_deref() {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        out.push((
            body,
            Box2 {
                x0,
                y0: y - 0.8 * size,
                x1: x0 + w,
                y1: y + 0.2 * size,
            },
        ));
    };
    for g in group.captures_iter(svg) {
        let (size, mono) = if &g[1] == "mark" {
            (11.0, true)
        } else {
            (10.0, false)
        };
        for t in text.captures_iter(&g[2]) {
            add(&t[1], &t[2], size, mono);
        }
    }
    for t in text.captures_iter(svg) {
        let attrs = &t[1];
        let (size, mono) = match attr(attrs, "class").as_deref() {
            Some("tick") => (10.0, false),
            Some("id") => (12.0, true),
            Some("role") => (11.0, false),
            _ => continue,
        };
        add(attrs, &t[2], size, mono);
    }
    out
}

/// The pairs of texts that overlap by more than a pixel each way.
fn overlaps(svg: &str) -> Vec<String> {
    let b = boxes(svg);
    let mut found = Vec::new();
    for (i, (ta, a)) in b.iter().enumerate() {
        for (tb, c) in &b[i + 1..] {
            let dx = a.x1.min(c.x1) - a.x0.max(c.x0);
            let dy = a.y1.min(c.y1) - a.y0.max(c.y0);
            if dx > 1.0 && dy > 1.0 {
                found.push(format!("{ta:?} and {tb:?}"));
            }
        }
    }
    found
}

#[test]
fn no_two_labels_overlap_in_any_demo_picture() {
    let dir = std::env::temp_dir().join(format!("grade-labels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let demos = [
        ("fork", vec![]),
        ("process", vec![]),
        ("pool", vec!["4"]),
        ("queue", vec![]),
        ("pipe", vec![]),
        ("thread", vec![]),
        ("lock", vec![]),
        ("threadlocal", vec![]),
        ("subprocess", vec![]),
        ("multicore", vec!["--seconds", "1"]),
    ];
    let mut wrong = Vec::new();
    for (example, args) in demos {
        let demo = workspace_tests::bin(&format!("{example}-demo"));
        for lang in ["en", "zh"] {
            let svg = dir.join(format!("{example}-{lang}.svg"));
            let mut argv = vec![
                "trace",
                "--lang",
                lang,
                "-o",
                svg.to_str().expect("utf-8"),
                "--example",
                example,
                "--time-scale",
                "0.05",
                "--",
                demo.to_str().expect("utf-8"),
            ];
            argv.extend(args.iter().copied());
            let out = common::grade(&argv, Duration::from_secs(60));
            assert_eq!(out.code, Some(0), "{example}: {out:?}");
            let text = std::fs::read_to_string(&svg).expect("the picture");
            assert!(boxes(&text).len() > 3, "{example}: texts not found");
            for o in overlaps(&text) {
                wrong.push(format!("{example} ({lang}): {o}"));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        wrong.is_empty(),
        "overlapping labels:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_overlap_test_sees_an_overlap() {
    let svg = r#"<g class="mark"><text x="10" y="20">Put A to queue...</text></g>
<g class="mark"><text x="40" y="22">Get A from queue.</text></g>
<g class="mark"><text x="400" y="22">far away</text></g>"#;
    assert_eq!(overlaps(svg).len(), 1, "{:?}", boxes(svg));
}
