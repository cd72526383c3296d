//! Minifies every `.html` file under a folder with crates.io's minify-html
//! 0.18.1 and with the vendored copy, with verbatim's settings, and fails on
//! the first page where they differ.

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: minify-html-check DIR (a site built with `verbatim build --no-minify`)");
        std::process::exit(2);
    };
    let upstream_cfg = upstream::Cfg { minify_css: true, minify_js: true, ..upstream::Cfg::new() };
    let vendored_cfg = vendored::Cfg { minify_css: true, minify_js: true, ..vendored::Cfg::new() };
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.expect("readable folder");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read(entry.path()).expect("readable page");
        if upstream::minify(&html, &upstream_cfg) != vendored::minify(&html, &vendored_cfg) {
            eprintln!("{}: the two copies' output differs", entry.path().display());
            std::process::exit(1);
        }
        pages += 1;
    }
    println!("{pages} pages, identical output");
}
