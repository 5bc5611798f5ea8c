//! The reports in a real browser: `airwar report` writes the china-1937 and korea-1950
//! campaign reports and a battle report, and headless Chromium (driven over the DevTools
//! protocol by `headless_chrome`) opens each one: every figure (the map and every chart) is
//! there and visible, the console shows no error, and a screenshot is not blank.
//!
//! Where Chromium is not installed the test says `SKIPPED: chromium not found` and passes,
//! unless `AIRWAR_REQUIRE_BROWSER=1` (CI sets it once it has installed Chromium). With
//! `AIRWAR_SCREENSHOTS=DIR` the screenshots are also copied to DIR (china.png, korea.png,
//! battle.png). `AIRWAR_CHROMIUM` names the browser when it is not on the usual paths.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions};

/// The browser to use: `AIRWAR_CHROMIUM`, else the first of the usual names on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AIRWAR_CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

fn airwar() -> Command {
    Command::cargo_bin("airwar").expect("the binary is built")
}

/// The ids of the page's figures (`<figure id="fig-ID">`), in order.
fn figure_ids(html: &str) -> Vec<String> {
    html.match_indices("<figure id=\"fig-")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').expect("closed")].to_string()
        })
        .collect()
}

/// What the page reports about each figure's SVG: id, width, height, display, visibility.
const MEASURE: &str = r#"JSON.stringify(Array.from(document.querySelectorAll('figure > svg')).map(s => {
  const r = s.getBoundingClientRect(); const c = getComputedStyle(s);
  return {id: s.id, w: r.width, h: r.height, display: c.display, visibility: c.visibility,
          marks: s.querySelectorAll('*').length};
}))"#;

struct Page {
    name: &'static str,
    args: Vec<String>,
    /// Figures the page must have, beside every one it declares.
    required: &'static [&'static str],
}

#[test]
fn reports_render_in_headless_chromium() {
    let Some(path) = chromium() else {
        assert!(
            std::env::var("AIRWAR_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "AIRWAR_REQUIRE_BROWSER=1 but no Chromium was found"
        );
        println!("SKIPPED: chromium not found (install Debian's `chromium` to run this test)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pages = [
        Page {
            name: "china",
            args: ["china-1937", "--runs", "4", "--battle-runs", "50"]
                .map(String::from)
                .to_vec(),
            required: &[
                "map",
                "timeline",
                "chart-aircraft",
                "chart-cumulative",
                "forest",
            ],
        },
        Page {
            name: "korea",
            args: ["korea-1950", "--runs", "4", "--battle-runs", "50"]
                .map(String::from)
                .to_vec(),
            required: &[
                "map",
                "timeline",
                "chart-aircraft",
                "chart-cumulative",
                "forest",
            ],
        },
        Page {
            name: "battle",
            args: ["--battle", "wuhan-1938-04-29", "--runs", "2000"]
                .map(String::from)
                .to_vec(),
            required: &["map", "battle-wuhan-1938-04-29-0", "forest"],
        },
    ];
    for p in &pages {
        airwar()
            .arg("report")
            .args(&p.args)
            .arg("--out")
            .arg(dir.path().join(format!("{}.html", p.name)))
            .assert()
            .success();
    }

    let profile = dir.path().join("profile");
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 2400)))
        .user_data_dir(Some(profile))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(args)
        .build()
        .expect("launch options");
    let browser = Browser::new(options).expect("Chromium starts");
    let shots = std::env::var_os("AIRWAR_SCREENSHOTS").map(PathBuf::from);
    check_the_watch(&browser, dir.path());
    for p in &pages {
        check_page(&browser, dir.path(), p, shots.as_deref());
    }
}

type Errors = Arc<Mutex<Vec<String>>>;

/// Open `file` in a new tab that records every console error, log error and uncaught
/// exception.
fn open(browser: &Browser, file: &Path) -> (Arc<headless_chrome::Tab>, Errors) {
    let tab = browser.new_tab().expect("a tab");
    tab.set_default_timeout(Duration::from_secs(60));
    let errors: Errors = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&errors);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let error = match event {
            Event::LogEntryAdded(e) => {
                let entry = &e.params.entry;
                matches!(
                    entry.level,
                    headless_chrome::protocol::cdp::Log::LogEntryLevel::Error
                )
                .then(|| format!("log: {} {}", entry.text, entry.url.clone().unwrap_or_default()))
            }
            Event::RuntimeConsoleAPICalled(e) => matches!(
                e.params.Type,
                headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption::Error
                    | headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption::Assert
            )
            .then(|| format!("console: {:?}", e.params.args)),
            Event::RuntimeExceptionThrown(e) => {
                Some(format!("exception: {}", e.params.exception_details.text))
            }
            _ => None,
        };
        if let Some(error) = error {
            seen.lock().expect("not poisoned").push(error);
        }
    }))
    .expect("a listener");
    tab.enable_log().expect("log domain");
    tab.enable_runtime().expect("runtime domain");
    let url = format!("file://{}", file.display());
    tab.navigate_to(&url)
        .and_then(|t| t.wait_until_navigated())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    (tab, errors)
}

/// The watch on the console works: a page with a planted error and a missing image is caught.
fn check_the_watch(browser: &Browser, dir: &Path) {
    let file = dir.join("planted.html");
    std::fs::write(
        &file,
        "<!DOCTYPE html><html><body><img src=\"missing.png\"><script>console.error('planted error')</script></body></html>",
    )
    .unwrap();
    let (tab, errors) = open(browser, &file);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while errors.lock().expect("not poisoned").len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let errors = errors.lock().expect("not poisoned").clone();
    assert!(
        errors.iter().any(|e| e.contains("planted error")),
        "the console error was missed: {errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("missing.png")),
        "the failed load was missed: {errors:?}"
    );
    let _ = tab.close(true);
}

fn check_page(browser: &Browser, dir: &Path, p: &Page, shots: Option<&Path>) {
    let file = dir.join(format!("{}.html", p.name));
    let html = std::fs::read_to_string(&file).unwrap();
    let ids = figure_ids(&html);
    for id in p.required {
        assert!(ids.iter().any(|i| i == id), "{}: no figure {id}", p.name);
    }

    let (tab, errors) = open(browser, &file);
    let measured = tab.evaluate(MEASURE, false).expect("evaluates");
    let text = measured
        .value
        .as_ref()
        .and_then(|v| v.as_str())
        .expect("a JSON string");
    let figures: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
    let found: Vec<&str> = figures.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(
        found, ids,
        "{}: the browser's figures are the page's",
        p.name
    );
    for f in &figures {
        let id = f["id"].as_str().unwrap_or_default();
        let (w, h) = (
            f["w"].as_f64().unwrap_or(0.0),
            f["h"].as_f64().unwrap_or(0.0),
        );
        assert!(w > 100.0 && h > 50.0, "{}: {id} is {w}×{h}", p.name);
        assert_ne!(f["display"], "none", "{}: {id} is not displayed", p.name);
        assert_eq!(f["visibility"], "visible", "{}: {id} is hidden", p.name);
        assert!(
            f["marks"].as_u64().unwrap_or(0) > 5,
            "{}: {id} draws nothing",
            p.name
        );
    }

    // Nothing runs off the side of the page (a long address, a wide table).
    let overflow = tab
        .evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth",
            false,
        )
        .expect("evaluates");
    let overflow = overflow.value.and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
    assert!(
        overflow <= 0.0,
        "{}: the page is {overflow} px too wide",
        p.name
    );

    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("a screenshot");
    let stats = airwar_report::png::png_stats(&png).expect("the screenshot decodes");
    assert!(
        stats.width >= 1000 && stats.height >= 1000,
        "{}: {stats:?}",
        p.name
    );
    assert!(
        stats.colours > 64,
        "{}: the page looks blank: {stats:?}",
        p.name
    );
    assert!(
        stats.ink > 0.03,
        "{}: the page looks blank: {stats:?}",
        p.name
    );
    std::fs::write(dir.join(format!("{}.png", p.name)), &png).unwrap();
    if let Some(to) = shots {
        std::fs::create_dir_all(to).unwrap();
        std::fs::write(to.join(format!("{}.png", p.name)), &png).unwrap();
    }

    let errors = errors.lock().expect("not poisoned");
    assert!(errors.is_empty(), "{}: console errors: {errors:?}", p.name);
    let _ = tab.close(true);
}
