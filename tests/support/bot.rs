//! The real `feudbot` binary, started against a fake Discord: what a user runs, with
//! `DISCORD_API_BASE` pointing at the fake. Its stderr (the logs) is collected so that
//! tests can check what was logged, and what never is (the token).

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// A token of Discord's shape: its first part is base64 for the fake's application id.
pub fn token() -> String {
    let id = super::payloads::APPLICATION_ID.to_string();
    // Discord's first part is unpadded.
    let id = STANDARD_NO_PAD.encode(id);
    format!("{id}.GhJkLm.fake-secret-part-of-the-token")
}

/// A running `feudbot` process.
pub struct BotProcess {
    child: Child,
    /// Holds the process's own database, removed with it.
    _dir: tempfile::TempDir,
    logs: Arc<Mutex<String>>,
    /// Copies stderr into `logs`; ends when the process closes stderr.
    reader: Option<std::thread::JoinHandle<()>>,
}

impl BotProcess {
    /// Starts `feudbot run` against `base_url` with `RUST_LOG=feudbot=debug,info`, the
    /// built-in dataset and a database of its own, in a folder of its own, plus `env`.
    pub fn start(base_url: &str, env: &[(&str, &str)]) -> BotProcess {
        BotProcess::start_with(base_url, &[], env)
    }

    /// [`BotProcess::start`], with `args` after `feudbot run`.
    pub fn start_with(base_url: &str, args: &[&str], env: &[(&str, &str)]) -> BotProcess {
        let dir = tempfile::tempdir().expect("a temp dir for the database");
        let database = format!("sqlite://{}", dir.path().join("feudbot.db").display());
        let mut command = Command::new(env!("CARGO_BIN_EXE_feudbot"));
        command
            .arg("run")
            .args(args)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DISCORD_API_BASE", base_url)
            .env("DISCORD_TOKEN", token())
            .env("DATABASE_URL", &database)
            .env("RUST_LOG", "feudbot=debug,info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the feudbot binary starts");
        let logs = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let sink = logs.clone();
        let reader = std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = stderr.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buffer[..read]);
                sink.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push_str(&text);
            }
        });
        BotProcess {
            child,
            _dir: dir,
            logs,
            reader: Some(reader),
        }
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Everything logged so far.
    pub fn logs(&self) -> String {
        self.logs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sends SIGTERM and waits for the exit, at most 5 s, off the async runtime: the
    /// fake Discord must keep running on it to answer the bot's close handshake.
    pub async fn terminate(self) -> (ExitStatus, String) {
        tokio::task::spawn_blocking(move || self.terminate_blocking())
            .await
            .expect("waiting for feudbot to exit")
    }

    fn terminate_blocking(mut self) -> (ExitStatus, String) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill -TERM failed");
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for feudbot") {
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                return (status, self.logs());
            }
            assert!(
                started.elapsed() < super::DEFAULT_TIMEOUT,
                "feudbot did not exit within 5 s of SIGTERM; its logs:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The bot run inside the test process, on a clock the test moves by hand, so a quiz
/// deadline or tomorrow's daily post comes without waiting.
pub struct InProcessBot {
    app: Arc<feudbot::app::App>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    running: tokio::task::JoinHandle<()>,
}

impl InProcessBot {
    /// Starts `feudbot::discord::run` against `base_url` with the built-in dataset, the
    /// database at `database_url` and `clock`.
    pub fn start(base_url: &str, database_url: &str, clock: feudbot::clock::Clock) -> InProcessBot {
        let config = feudbot::config::Config {
            token: Some(feudbot::config::Token::new(&token())),
            dev_guild_id: None,
            database_url: database_url.to_string(),
            data_dir: None,
            api_base: Some(base_url.to_string()),
            health_addr: None,
            shard_count: None,
            shards: None,
        };
        let data = feudbot::data::Dataset::shipped().expect("the shipped dataset loads");
        let app = Arc::new(feudbot::app::App::new(
            Arc::new(data),
            database_url,
            clock,
            rand::random(),
        ));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn({
            let app = Arc::clone(&app);
            async move {
                let shutdown = async {
                    let _ = stopped.await;
                };
                if let Err(error) =
                    feudbot::discord::run(&config, app, feudbot::discord::WhenHeld::Wait, shutdown)
                        .await
                {
                    panic!("the bot stopped with an error: {error}");
                }
            }
        });
        InProcessBot {
            app,
            stop: Some(stop),
            running,
        }
    }

    /// The bot's core, to read what Discord does not show (a game's exact deadline).
    pub fn app(&self) -> &Arc<feudbot::app::App> {
        &self.app
    }

    /// Asks the bot to shut down and waits until it has.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = tokio::time::timeout(super::DEFAULT_TIMEOUT, &mut self.running).await;
    }
}

impl Drop for InProcessBot {
    fn drop(&mut self) {
        self.running.abort();
    }
}
