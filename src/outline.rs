//! The readable outline printed by `verbatim parse --format text`.

use std::fmt::Write;
use verbatim::ingest::Transcript;

/// Renders a transcript as a short human-readable outline: meta, turns with the
/// opening of each paragraph, and omissions.
pub fn outline(t: &Transcript) -> String {
    let mut out = String::new();
    let m = &t.meta;
    let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(out, "title:   {}", field(&m.title));
    let _ = writeln!(
        out,
        "event:   {}  year: {}  date: {}  time: {}",
        field(&m.event),
        m.year.map_or("-".into(), |y| y.to_string()),
        field(&m.date),
        field(&m.time)
    );
    let _ = writeln!(
        out,
        "place:   {}, {}  day: {}  room: {}  code: {}",
        field(&m.city),
        field(&m.country),
        m.day.map_or("-".into(), |d| d.to_string()),
        field(&m.room),
        field(&m.session_code)
    );
    let _ = writeln!(
        out,
        "turns:   {} ({} anonymous)\n",
        t.turns.len(),
        t.anonymous_turns()
    );
    for turn in &t.turns {
        let _ = writeln!(
            out,
            "{:>5}  {}  {}",
            turn.line,
            turn.id,
            turn.label.as_deref().unwrap_or(">> (anonymous)")
        );
        for p in &turn.paragraphs {
            let opening: String = p.text.chars().take(70).collect();
            let more = if p.text.chars().count() > 70 {
                "…"
            } else {
                ""
            };
            let kind = p
                .stage
                .map_or(String::new(), |k| format!("[{}] ", k.name()));
            let _ = writeln!(out, "         {kind}{opening}{more}");
        }
    }
    if !t.omitted.is_empty() {
        let _ = writeln!(out, "\nomitted:");
        for o in &t.omitted {
            let first = o.text.lines().next().unwrap_or("");
            let first: String = first.chars().take(60).collect();
            let _ = writeln!(
                out,
                "  lines {}-{}  {:<14} {first}",
                o.lines[0],
                o.lines[1],
                o.reason.name()
            );
        }
    }
    out
}
