//! Headless Chromium driven through chromedriver's W3C WebDriver protocol (JSON over HTTP), for
//! the dashboard's browser tests. Debian's `chromium` and `chromium-driver`; `.ci/run` installs
//! them, and without them a test is skipped outside CI only.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

use super::free_port;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The key W3C WebDriver names element references by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One request to chromedriver: its status and JSON body. chromedriver keeps the connection open
/// whatever the request says, so the body is read by its Content-Length, not to the end.
fn exchange(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    use std::io::{BufRead, BufReader, Read, Write};
    let stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    (&stream).write_all(request.as_bytes())?;
    let mut reader = BufReader::new(&stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// A browser session, ended (and chromedriver stopped) on drop.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    /// Where screenshots go, one file per step.
    pub shots: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", Value::Null);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// WebDriver's key codes (the W3C spec's table of special keys).
pub const ENTER: &str = "\u{E007}";
pub const ARROW_LEFT: &str = "\u{E012}";
pub const ARROW_RIGHT: &str = "\u{E014}";
pub const ARROW_DOWN: &str = "\u{E015}";
pub const ESCAPE: &str = "\u{E00C}";

/// Whether Chromium and chromedriver are installed; in CI they must be.
pub fn browser_present() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{CHROMIUM} and {CHROMEDRIVER} must be installed in CI (apt-get install chromium chromium-driver)"
    );
    println!("skipping: {CHROMIUM} or {CHROMEDRIVER} is not installed");
    false
}

impl Browser {
    /// Starts chromedriver and a headless Chromium that saves screenshots into `shots`.
    pub fn start(shots: &Path) -> Browser {
        std::fs::create_dir_all(shots).expect("screenshot folder");
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            shots: shots.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while exchange(port, "GET", "/status", "").is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]
            }
        }}});
        let answer = browser.post_root("/session", capabilities);
        browser.session = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_string();
        browser
    }

    fn post_root(&self, path: &str, body: Value) -> Value {
        let (status, reply) =
            exchange(self.port, "POST", path, &body.to_string()).expect("chromedriver answers");
        let value: Value = serde_json::from_str(&reply).expect("chromedriver's JSON");
        assert_eq!(status, 200, "{path}: {value}");
        value["value"].clone()
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let path = format!("/session/{}{path}", self.session);
        let (status, reply) =
            exchange(self.port, method, &path, &body).map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_str(&reply).map_err(|e| e.to_string())?;
        if status == 200 {
            Ok(value["value"].clone())
        } else {
            Err(value["value"]["message"]
                .as_str()
                .unwrap_or(&reply)
                .to_string())
        }
    }

    pub fn open(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }))
            .expect("navigate");
    }

    /// The first element matching `css`, once there is one (within 10 s).
    pub fn wait_for(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(found) = self.call(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            ) {
                if let Some(id) = found[ELEMENT].as_str() {
                    return id.to_string();
                }
            }
            if Instant::now() > deadline {
                self.screenshot("timeout");
                panic!("no element matches {css}:\n{}", self.text("body"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `predicate` of the page's body text holds (within 10 s).
    pub fn wait_until(&self, what: &str, predicate: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text("body");
            if predicate(&text) {
                return;
            }
            if Instant::now() > deadline {
                self.screenshot("timeout");
                panic!("{what} did not happen; the page says:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn click(&self, css: &str) {
        let id = self.wait_for(css);
        self.call("POST", &format!("/element/{id}/click"), json!({}))
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.wait_for(css);
        self.call("POST", &format!("/element/{id}/clear"), json!({}))
            .expect("clear");
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        )
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Sends `keys` (text, or WebDriver's key codes such as [`ARROW_DOWN`]) to the element that
    /// has the focus.
    pub fn press(&self, keys: &str) {
        let active = self
            .call("GET", "/element/active", Value::Null)
            .expect("the focused element");
        let id = active[ELEMENT].as_str().expect("an element has the focus");
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": keys }),
        )
        .unwrap_or_else(|e| panic!("press {keys:?}: {e}"));
    }

    /// The visible text of the first element matching `css`.
    pub fn text(&self, css: &str) -> String {
        let Ok(found) = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        ) else {
            return String::new();
        };
        let Some(id) = found[ELEMENT].as_str() else {
            return String::new();
        };
        self.call("GET", &format!("/element/{id}/text"), Value::Null)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub fn run(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
        .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Runs `script` (a function body) in the page and returns what it passes to its callback,
    /// the last of its `arguments`.
    pub fn run_async(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/async",
            json!({"script": script, "args": []}),
        )
        .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Saves the page as `<shots>/<name>.png`.
    pub fn screenshot(&self, name: &str) {
        if let Ok(Value::String(png)) = self.call("GET", "/screenshot", Value::Null) {
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(png) {
                let _ = std::fs::write(self.shots.join(format!("{name}.png")), bytes);
            }
        }
    }
}
