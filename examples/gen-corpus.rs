//! Generates a large, realistic, deterministic edition for benchmarks:
//! transcripts in the raw styles of the seeds (their headings, junk, label
//! spellings, stage notes), thousands of people with aliases and misspelt
//! labels, and matching annotation layers (people registry, speakers,
//! attributions, about 20 corrections and a few notes per session).
//!
//! Run: `cargo run --release --example gen-corpus -- --sessions 1000 --out /tmp/corpus`

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;

/// xorshift64*: deterministic, and enough randomness for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Avri",
    "Olivier",
    "Wolfgang",
    "Maria",
    "Joy",
    "Sebastian",
    "Alissa",
    "Jari",
    "Vint",
    "Shane",
    "Matthew",
    "Thomas",
    "Ana",
    "Peter",
    "Sylvia",
    "Joe",
    "Sally",
    "Chris",
    "Marilyn",
    "Raúl",
    "Omar",
    "Aziz",
    "Jimson",
    "Maarten",
    "Alejandro",
    "Nnenna",
    "Bertrand",
    "Anriette",
    "Fadi",
    "Nii",
    "Lynn",
    "Tracy",
    "Hossam",
    "Salma",
    "Jovan",
    "Renata",
    "Milton",
    "Izumi",
    "Kaili",
    "Lise",
    "Hartmut",
    "Jeanette",
    "Zoë",
    "Renée",
    "Søren",
    "Małgorzata",
    "Đorđe",
    "Ines",
    "Ibrahim",
    "Chengetai",
];
const LAST: &[&str] = &[
    "Doria",
    "Crépin-Leblond",
    "Kleinwächter",
    "Flores",
    "Liddicoat",
    "Haselbeck",
    "Cooper",
    "Arkko",
    "Cerf",
    "Tews",
    "Shears",
    "Rickert",
    "Neves",
    "Major",
    "Cadena",
    "Gattuso",
    "Wentworth",
    "Painter",
    "Cade",
    "Echeberría",
    "Ansari",
    "Taqwa",
    "Olufuye",
    "Botterman",
    "Pisanty",
    "Nwakanma",
    "de La Chapelle",
    "Esterhuysen",
    "Chehadé",
    "Quaynor",
    "St. Amour",
    "Hackshaw",
    "Badran",
    "Ahmed",
    "Kurbalija",
    "Aquino Ribeiro",
    "Mueller",
    "Aizu",
    "Kaili",
    "Jørgensen",
    "Glaser",
    "Hofmann",
    "Müller",
    "Łukasik",
    "Đurić",
    "Robles",
    "Masango",
    "Sørensen",
    "Núñez",
    "Öztürk",
];
const ORGS: &[&str] = &[
    "the Internet Society",
    "ICANN",
    "APNIC",
    "the IETF",
    "a ministry of communications",
    "a civil society network",
    "a telecom operator",
    "a university",
    "the Council of Europe",
    "UNESCO",
];
const GENERIC: &[&str] = &[
    "MODERATOR",
    "AUDIENCE",
    "PARTICIPANT",
    "AUDIENCE MEMBER",
    "SPEAKER",
    "REMOTE MODERATOR",
];
const STAGES: &[&str] = &[
    "(Laughter)",
    "(Applause)",
    "(?)",
    "(inaudible)",
    "[ Applause ]",
    "((inaudible))",
    "(Speaking Spanish)",
    "(Pause)",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Bali", "Indonesia", "Eighth"),
    ("Istanbul", "Turkey", "Ninth"),
    ("João Pessoa", "Brazil", "Tenth"),
    ("Guadalajara", "Mexico", "Eleventh"),
    ("Geneva", "Switzerland", "Twelfth"),
    ("Paris", "France", "Thirteenth"),
    ("Berlin", "Germany", "Fourteenth"),
];
const MONTHS: &[&str] = &["OCTOBER", "NOVEMBER", "DECEMBER"];

struct Person {
    id: String,
    name: String,
    labels: Vec<String>,
}

fn slug(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ï' => 'i',
            'ó' | 'ö' | 'ô' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            'Ł' => 'l',
            'Đ' => 'd',
            'Ø' => 'o',
            'Ö' => 'o',
            'Ü' => 'u',
            'Ç' => 'c',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    folded
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A misspelt label, as captioners write them: a dropped accent, a dot, a swapped letter.
fn misspell(rng: &mut Rng, label: &str) -> String {
    match rng.below(4) {
        0 => label
            .replace('É', "E")
            .replace('Ä', "A")
            .replace('Ü', "U")
            .replace('Ö', "O"),
        1 => format!("{label}."),
        2 => {
            let mut chars: Vec<char> = label.chars().collect();
            let i = 1 + rng.below(chars.len().saturating_sub(3).max(1));
            if i + 1 < chars.len() && chars[i].is_alphabetic() && chars[i + 1].is_alphabetic() {
                chars.swap(i, i + 1);
            }
            chars.into_iter().collect()
        }
        _ => label.replace('-', " "),
    }
}

fn main() {
    let mut sessions = 1000usize;
    let mut out = PathBuf::from("corpus");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sessions" => {
                sessions = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--sessions N")
            }
            "--out" => out = args.next().map(PathBuf::from).expect("--out DIR"),
            other => panic!("unknown argument {other}; use --sessions N --out DIR"),
        }
    }
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut sentences: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let t = verbatim::ingest::parse(&std::fs::read(&path).unwrap());
            for turn in t.turns {
                for p in turn.paragraphs.iter().filter(|p| p.stage.is_none()) {
                    for s in p.text.split_inclusive(". ") {
                        let s = s.trim();
                        if s.len() > 20 && !s.contains('(') && !s.contains('[') {
                            sentences.push(s.to_string());
                        }
                    }
                }
            }
        }
    }
    sentences.sort();
    sentences.dedup();

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let people_count = (sessions * 2).clamp(200, 12_000);
    let mut seen = HashSet::new();
    let mut people: Vec<Person> = Vec::new();
    while people.len() < people_count {
        let name = format!(
            "{} {}{}",
            rng.pick(FIRST),
            rng.pick(LAST),
            if people.len() >= FIRST.len() * LAST.len() / 2 {
                format!(" {}", people.len())
            } else {
                String::new()
            }
        );
        let id = slug(&name);
        if !seen.insert(id.clone()) {
            continue;
        }
        let label = name.to_uppercase();
        let misspelt = misspell(&mut rng, &label);
        let labels = if misspelt != label {
            vec![label, misspelt]
        } else {
            vec![label]
        };
        people.push(Person { id, name, labels });
    }

    let content = out.join("content");
    let sessions_dir = out.join("annotations/sessions");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::create_dir_all(&sessions_dir).unwrap();
    std::fs::write(
        out.join("verbatim.yaml"),
        "title: Generated corpus\ndescription: A generated benchmark corpus.\n",
    )
    .unwrap();

    let mut registry = String::from("people:\n");
    for p in &people {
        let _ = writeln!(
            registry,
            "  - id: {}\n    name: \"{}\"\n    aliases: [{}]",
            p.id,
            p.name,
            p.labels
                .iter()
                .map(|l| format!("\"{l}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    std::fs::write(out.join("annotations/people.yaml"), registry).unwrap();

    let mut total = 0usize;
    for n in 0..sessions {
        let (city, country, ordinal) = *rng.pick(CITIES);
        let year = 2013 + (n % 7) as i32;
        let id = format!("igf-{year}-s{n:05}");
        let style = n % 5;
        let target = 40_000 + rng.below(70_000);
        let mut text = String::with_capacity(target + 4096);
        // Headings and junk in the seeds' five styles.
        match style {
            0 => {
                let _ = write!(
                    text,
                    "\n\n## {} INTERNET GOVERNANCE FORUM\n\n{}\n\n{} {}, {year}\n\n{}:30 P.M.\n\nSESSION {n} ON TOPIC {}\n\n---\n\nThe following is the output of the real-time captioning taken during the {ordinal} Meeting of the IGF, in {city}, {country}. Although it is largely accurate, in some cases it may be incomplete or inaccurate due to inaudible passages or transcription errors. It is posted as an aid to understanding the proceedings at the session, but should not be treated as an authoritative record.\n\n---\n\n",
                    ordinal.to_uppercase(),
                    city.to_uppercase(),
                    rng.pick(MONTHS),
                    1 + rng.below(28),
                    1 + rng.below(11),
                    rng.below(999)
                );
            }
            1 => {
                for _ in 0..(3 + rng.below(10)) {
                    text.push_str("Deprecated: Array and string offset access syntax with curly braces is deprecated in /home/wgig/public_html/igf/website8/web/cms/libraries/joomla/database/driver.php on line 1946\n\n");
                }
                let _ = write!(
                    text,
                    "FINISHED - {year} 09 {:02} - WS{n} - Session {n} on Governance Mechanisms - Room {}\n Welcome to the United Nations | Department of Economic and Social Affairs\n\n\n\nThe following is the output of the real‑time captioning taken during the IGF {year} {city}, {country}, meetings.  Although it is largely accurate, in some cases it may be incomplete or inaccurate due to inaudible passages or transcription errors.  It is posted as an aid to understanding the proceedings at the session, but should not be treated as an authoritative record.\n\n",
                    1 + rng.below(28),
                    1 + rng.below(12)
                );
            }
            2 => {
                let _ = write!(
                    text,
                    "IGF {year} - Day {} - Room {} - Session {n} Seminar\n\n\nThe following are the outputs of the real-time captioning taken during the {ordinal} Annual Meeting of the Internet Governance Forum (IGF) in {city}, {country}, from 6 to 9 December {year}. Although it is largely accurate, in some cases it may be incomplete or inaccurate due to inaudible passages or transcription errors. It is posted as an aid to understanding the proceedings at the event, but should not be treated as an authoritative record. \n\n\n\n",
                    rng.below(4),
                    1 + rng.below(12)
                );
            }
            3 => {
                let _ = write!(
                    text,
                    "You are here\n\nIGF {year} - Day {} - Salle {}- WS{n} Session {n} on Internet Trends\n\nThe following are the outputs of the real-time captioning taken during the {ordinal} Annual Meeting of the Internet Governance Forum (IGF) in {city}, {country}, from 12 to 14 November {year}. Although it is largely accurate, in some cases it may be incomplete or inaccurate due to inaudible passages or transcription errors. It is posted as an aid to understanding the proceedings at the event, but should not be treated as an authoritative record. \n\n***\n\n \n\n",
                    1 + rng.below(3),
                    ["I", "II", "IV", "VI"][rng.below(4)]
                );
            }
            _ => {
                let _ = write!(
                    text,
                    "IGF {year} – Day {} – Raum {} – DC Session {n} (Part {})\r\n\r\nThe following are the outputs of the real-time captioning taken during the {ordinal} Annual Meeting of the Internet Governance Forum (IGF) in {city}, {country}, from 25 to 29 November {year}. Although it is largely accurate, in some cases it may be incomplete or inaccurate due to inaudible passages or transcription errors. It is posted as an aid to understanding the proceedings at the event, but should not be treated as an authoritative record. \r\n\r\n***\r\n\r\n",
                    rng.below(5),
                    ["I", "II", "IV"][rng.below(3)],
                    ["I", "II"][rng.below(2)]
                );
            }
        }
        let nl = if style == 4 { "\r\n" } else { "\n" };
        // A cast: a few panelists (some under a misspelt label) and generic roles.
        let cast: Vec<usize> = (0..(4 + rng.below(8)))
            .map(|_| rng.below(people.len()))
            .collect();
        let mut introductions: Vec<usize> = Vec::new();
        while text.len() < target {
            let roll = rng.below(100);
            let label = if roll < 60 {
                let p = &people[*rng.pick(&cast)];
                Some(rng.pick(&p.labels).clone())
            } else if roll < 80 {
                Some(rng.pick(GENERIC).to_string())
            } else {
                None
            };
            match (&label, style) {
                (Some(l), 0) if rng.below(10) == 0 => {
                    let _ = write!(text, ">> {l} ");
                }
                (Some(l), 2) if rng.below(8) == 0 => {
                    let _ = write!(text, ">> {l}:");
                }
                (Some(l), _) => {
                    let _ = write!(text, ">> {l}:  ");
                }
                (None, _) => text.push_str(">> "),
            }
            if label.is_none() && rng.below(4) == 0 {
                let who = rng.below(people.len());
                if !introductions.contains(&who) {
                    introductions.push(who);
                    let _ = write!(
                        text,
                        "My name is {} from {}. ",
                        people[who].name,
                        rng.pick(ORGS)
                    );
                }
            }
            for para in 0..(1 + rng.below(4)) {
                if para > 0 {
                    text.push_str(nl);
                    text.push_str(nl);
                }
                for _ in 0..(1 + rng.below(6)) {
                    let sentence: &String = rng.pick(&sentences);
                    text.push_str(sentence);
                    text.push(' ');
                    if rng.below(40) == 0 {
                        let note: &&str = rng.pick(STAGES);
                        text.push_str(note);
                        text.push(' ');
                    }
                }
            }
            text.push_str(nl);
            text.push_str(nl);
        }
        text.push_str(if style == 1 {
            " (Concluded at 12:21)\n"
        } else {
            "(end of meeting)\n"
        });
        if style == 3 {
            text.push_str("\nContact Information\n\nUnited Nations\nSecretariat of the Internet Governance Forum (IGF)\n\nVilla Le Bocage\nPalais des Nations,\nCH-1211 Geneva 10\nSwitzerland\n\nigf [at] un [dot] org\n+41 (0) 229 173 678\n");
        }
        total += text.len();
        std::fs::write(content.join(format!("{id}.txt")), &text).unwrap();

        // Annotation layers anchored on what verbatim itself reads.
        let parsed = verbatim::ingest::parse(text.as_bytes());
        let mut layer = format!("session: {id}\nmeta:\n  tags: [generated]\nspeakers:\n");
        let labels: HashSet<&str> = parsed
            .turns
            .iter()
            .filter_map(|t| t.label.as_deref())
            .collect();
        let mut generic: Vec<&&str> = GENERIC.iter().filter(|g| labels.contains(**g)).collect();
        generic.sort();
        for g in generic {
            let _ = writeln!(layer, "  - label: {g}\n    generic: true");
        }
        let mut attributions = String::from("attributions:\n");
        for who in &introductions {
            let quote = format!("My name is {} from", people[*who].name);
            if parsed
                .turns
                .iter()
                .filter(|t| t.paragraphs.iter().any(|p| p.text.contains(&quote)))
                .count()
                == 1
            {
                let _ = writeln!(
                    attributions,
                    "  - quote: \"{quote}\"\n    person: {}\n    evidence: Introduces themselves by name.\n    confidence: high",
                    people[*who].id
                );
            }
        }
        // About twenty corrections on quotes that occur exactly once.
        let paragraphs: Vec<(&str, &str)> = parsed
            .turns
            .iter()
            .flat_map(|t| {
                t.paragraphs
                    .iter()
                    .filter(|p| p.stage.is_none())
                    .map(|p| (p.id.as_str(), p.text.as_str()))
            })
            .collect();
        let mut used: HashSet<&str> = HashSet::new();
        let mut corrections = String::from("corrections:\n");
        let mut notes = String::from("notes:\n");
        let (mut made, mut noted) = (0, 0);
        for _ in 0..400 {
            if made >= 20 && noted >= 3 {
                break;
            }
            let (pid, ptext) = *rng.pick(&paragraphs);
            if used.contains(pid) {
                continue;
            }
            let words: Vec<&str> = ptext.split(' ').collect();
            if words.len() < 8 {
                continue;
            }
            let start = rng.below(words.len() - 5);
            let quote = words[start..start + 4].join(" ");
            if quote.contains('"')
                || quote.contains('\\')
                || quote.contains('(')
                || quote.contains('[')
            {
                continue;
            }
            if paragraphs
                .iter()
                .map(|(_, t)| t.matches(quote.as_str()).count())
                .sum::<usize>()
                != 1
            {
                continue;
            }
            used.insert(pid);
            if made < 20 {
                let replace = quote.replacen(' ', ", ", 1);
                let _ = writeln!(
                    corrections,
                    "  - find: \"{quote}\"\n    replace: \"{replace}\"\n    note: Punctuation the captioner dropped."
                );
                made += 1;
            } else {
                let _ = writeln!(
                    notes,
                    "  - quote: \"{quote}\"\n    text: A generated *editorial* note."
                );
                noted += 1;
            }
        }
        for (part, key) in [
            (&attributions, "attributions:\n"),
            (&corrections, "corrections:\n"),
            (&notes, "notes:\n"),
        ] {
            if part.len() > key.len() {
                layer.push_str(part);
            }
        }
        std::fs::write(sessions_dir.join(format!("{id}.yaml")), layer).unwrap();
    }
    eprintln!(
        "wrote {sessions} sessions ({:.1} MB of transcripts) and {} people to {}",
        total as f64 / 1e6,
        people.len(),
        out.display()
    );
}
