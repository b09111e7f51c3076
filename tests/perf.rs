//! Start-up time, memory and large-vault smoothness of the real app, printed as a
//! report (not asserted: CI machines vary). Run by `scripts/app-perf`, which picks
//! the binary (`JETON_APP_BIN`, release or debug) and the number of runs.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::*;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

fn runs() -> usize {
    std::env::var("JETON_PERF_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
}

/// Epoch milliseconds at which the page marked its first code.
fn first_code_epoch_ms(app: &App) -> f64 {
    app.wait_for(
        "const m = performance.getEntriesByName('jeton:first-code')[0];
         return m ? performance.timeOrigin + m.startTime : null;",
        "the first code",
    )
    .as_f64()
    .expect("a time")
}

/// The empty Tauri 2 window built beside the app (`src-tauri/examples/empty_window.rs`).
fn empty_window_binary() -> String {
    std::env::var("JETON_EMPTY_BIN").unwrap_or_else(|_| {
        let app = std::path::PathBuf::from(app_binary());
        let dir = app.parent().expect("the app's folder");
        dir.join("examples/empty_window").display().to_string()
    })
}

/// Launch to the page's load event (the empty window), in epoch milliseconds.
fn page_loaded_epoch_ms(app: &App) -> f64 {
    app.wait_for(
        "const n = performance.getEntriesByType('navigation')[0];
         return n && n.loadEventEnd > 0 ? performance.timeOrigin + n.loadEventEnd : null;",
        "the empty page",
    )
    .as_f64()
    .expect("a time")
}

/// Launch time (ms from the process's start) and memory (PSS, MB) of one run.
fn measure(app: &App, ready_epoch_ms: f64) -> (f64, f64) {
    let pid = app_pid(app).expect("the app process");
    let started = process_start_epoch_ms(pid).expect("process start time");
    std::thread::sleep(Duration::from_secs(2));
    (ready_epoch_ms - started, tree_pss_kb(pid) as f64 / 1024.0)
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/app-perf"]
fn launch_to_first_code_and_memory_with_50_accounts_against_an_empty_window() {
    let (mut jeton_ms, mut jeton_mb) = (Vec::new(), Vec::new());
    let (mut empty_ms, mut empty_mb) = (Vec::new(), Vec::new());
    println!(
        "binary: {}; baseline: {}",
        app_binary(),
        empty_window_binary()
    );
    // Alternating, so both see the same machine load.
    for run in 1..=runs() {
        let empty = App::launch_program(
            &empty_window_binary(),
            tempfile::tempdir().expect("temp dir"),
            EN,
            &[],
        );
        let (ms, mb) = measure(&empty, page_loaded_epoch_ms(&empty));
        drop(empty);
        println!("run {run}: empty window: launch -> page {ms:.0} ms, PSS {mb:.1} MB");
        empty_ms.push(ms);
        empty_mb.push(mb);

        let app = App::launch(data_dir_with(many_accounts(50)), EN);
        let (ms, mb) = measure(&app, first_code_epoch_ms(&app));
        drop(app);
        println!("run {run}: Jeton, 50 accounts: launch -> first code {ms:.0} ms, PSS {mb:.1} MB");
        jeton_ms.push(ms);
        jeton_mb.push(mb);
    }
    let (jeton_ms, empty_ms) = (median(&mut jeton_ms), median(&mut empty_ms));
    let (jeton_mb, empty_mb) = (median(&mut jeton_mb), median(&mut empty_mb));
    println!(
        "median of {}: Jeton {jeton_ms:.0} ms vs empty window {empty_ms:.0} ms ({:.2}x); \
         PSS {jeton_mb:.1} vs {empty_mb:.1} MB ({:.2}x)",
        runs(),
        jeton_ms / empty_ms,
        jeton_mb / empty_mb
    );
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/app-perf"]
fn a_thousand_accounts_open_scroll_and_search_smoothly() {
    let app = App::launch(data_dir_with(many_accounts(1000)), EN);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 1000",
        "1000 rows",
    );
    let opened = app.wait_for(
        "const mark = performance.getEntriesByName('jeton:first-code')[0];
         return mark ? mark.startTime : null;",
        "the first code",
    );
    println!(
        "1000 accounts: first code {:.0} ms after navigation start",
        opened.as_f64().unwrap_or(-1.0)
    );

    // Search: filter + style + layout, measured in the page.
    let search = app.js(
        "const input = document.getElementById('search');
         const times = [];
         for (const q of ['service 9', 'user77', 'zzz', 'SERVICE 1', '']) {
           const t0 = performance.now();
           input.value = q;
           input.dispatchEvent(new Event('input'));
           document.body.offsetHeight;
           times.push(performance.now() - t0);
         }
         return times;",
        json!([]),
    );
    let times: Vec<f64> = search
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_f64)
        .collect();
    println!("search (filter + layout) per keystroke: {times:.1?} ms");

    // Scroll 300 px per frame for 60 frames, recording frame gaps; then the same
    // with every row invisible, which gives this machine's own cost of a scrolled
    // frame (software rendering under Xvfb) to compare with.
    let scroll = |css: &str| -> Vec<f64> {
        app.js(
            "let style = document.getElementById('perf-style');
             if (!style) { style = document.createElement('style'); style.id = 'perf-style'; document.head.append(style); }
             style.textContent = arguments[0];
             const main = document.querySelector('main');
             main.scrollTop = 0;
             window.__scroll = null;
             const gaps = [];
             let last = performance.now();
             const frame = (now) => {
               gaps.push(now - last);
               last = now;
               main.scrollTop += 300;
               if (gaps.length < 60) requestAnimationFrame(frame); else window.__scroll = gaps.slice(1);
             };
             requestAnimationFrame(frame);",
            json!([css]),
        );
        let gaps = app.wait_for("return window.__scroll", "the scroll to finish");
        gaps.as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_f64)
            .collect()
    };
    let mut list = scroll("");
    let mut floor = scroll(".row { visibility: hidden !important; }");
    let max = list.iter().copied().fold(0.0, f64::max);
    println!(
        "scroll 1000 rows: median frame {:.1} ms (max {max:.1}); same scroll with rows invisible: {:.1} ms",
        median(&mut list),
        median(&mut floor)
    );
    app.js(
        "document.getElementById('perf-style').textContent = ''",
        json!([]),
    );

    // Idle: the per-second tick over 1000 rows must not cause dropped frames.
    app.js(
        "window.__idle = null;
         const gaps = [];
         let last = performance.now();
         const start = last;
         const frame = (now) => {
           gaps.push(now - last);
           last = now;
           if (now - start < 3000) requestAnimationFrame(frame); else window.__idle = gaps.slice(1);
         };
         requestAnimationFrame(frame);",
        json!([]),
    );
    let idle = app.wait_for("return window.__idle", "3 s of idle frames");
    let idle: Vec<f64> = idle
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_f64)
        .collect();
    let max = idle.iter().copied().fold(0.0, f64::max);
    println!(
        "idle with ticking countdowns: {} frames in 3 s, max gap {max:.1} ms",
        idle.len()
    );
}
