//! A one-line progress bar on stderr, drawn only when stderr is a terminal, so that logs and
//! pipes never see carriage returns.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Redraws are limited so that a fast loop does not spend its time writing to the terminal.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

const WIDTH: u64 = 30;

/// Runs `work`, which reports how far it is as (done, total), with a bar labelled `label` drawn
/// meanwhile and erased at the end.
pub fn tracked<T>(label: &'static str, work: impl FnOnce(&mut dyn FnMut(u64, u64)) -> T) -> T {
    let mut bar: Option<Progress> = None;
    let result = work(&mut |done, total| {
        let bar = bar.get_or_insert_with(|| Progress::new(label, total));
        bar.advance(done.saturating_sub(bar.done));
    });
    if let Some(bar) = bar.as_mut() {
        bar.finish();
    }
    result
}

pub struct Progress {
    label: &'static str,
    total: u64,
    done: u64,
    enabled: bool,
    last_draw: Option<Instant>,
}

impl Progress {
    pub fn new(label: &'static str, total: u64) -> Self {
        Progress {
            label,
            total,
            done: 0,
            enabled: std::io::stderr().is_terminal() && total > 0,
            last_draw: None,
        }
    }

    pub fn step(&mut self) {
        self.advance(1);
    }

    /// Counts `n` more units done (bytes, for a download).
    pub fn advance(&mut self, n: u64) {
        self.done += n;
        if !self.enabled {
            return;
        }
        let due = self.last_draw.is_none_or(|t| t.elapsed() >= REDRAW_EVERY);
        if due || self.done == self.total {
            self.last_draw = Some(Instant::now());
            let filled = (self.done * WIDTH / self.total.max(1)).min(WIDTH) as usize;
            let bar = format!(
                "{}{}",
                "#".repeat(filled),
                " ".repeat(WIDTH as usize - filled)
            );
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{} [{bar}] {}/{}", self.label, self.done, self.total);
            let _ = err.flush();
        }
    }

    /// Erases the bar, so the lines printed after it start clean.
    pub fn finish(&mut self) {
        if self.enabled && self.last_draw.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
        self.enabled = false;
    }
}
