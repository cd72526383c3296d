//! `verbatim serve` run by a test, as an editor runs it (tests that need
//! the preview over HTTP: the preview's own, the browser's).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// A running `verbatim serve`, killed when dropped.
pub struct Preview {
    pub child: Child,
    /// `host:port` to connect to.
    pub addr: String,
    /// Everything serve printed on stderr so far.
    said: Arc<Mutex<String>>,
}

impl Preview {
    /// Starts serve in `root` (as an editor does, with the default relative
    /// root) and waits until it listens.
    pub fn start(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .envs(env.iter().copied())
            .current_dir(root)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let said = Arc::new(Mutex::new(String::new()));
        let mut server = Preview {
            child,
            addr: String::new(),
            said: said.clone(),
        };
        let mut lines = BufReader::new(stderr).lines();
        let addr = loop {
            let line = lines.next().expect("serve prints its address").unwrap();
            {
                let mut log = said.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
            if let Some((_, rest)) = line.split_once(" at http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        // Bound to every address, serve is reached on loopback.
        server.addr = addr.replace("0.0.0.0:", "127.0.0.1:");
        // Keep draining stderr, keeping what serve says.
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut log = said.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        server
    }

    pub fn said(&self) -> String {
        self.said.lock().unwrap().clone()
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
