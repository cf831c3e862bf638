//! Argon2id password hashing (RustCrypto's defaults: 19 MiB, 2 passes, 1 lane — OWASP's
//! minimum). Hashing is CPU- and memory-heavy, so it runs on a few threads of its own
//! ([`Hasher::permits`], one per core): a flood of sign-ins waits briefly, then is told the
//! server is busy, and memory stays bounded. Dedicated threads, not the blocking pool: the
//! allocator keeps each thread's freed 19 MiB for reuse, so hashes spread over the pool's
//! many threads left hundreds of MiB resident (measured: 363 MiB after 20 parallel
//! sign-ins; tests/limits.rs). Even on two threads glibc's growing mmap threshold kept
//! every freed 19 MiB block in an arena (+12 MiB per sign-in, 58 MiB per arena), so
//! [`release_large_allocations`] makes large blocks go back to the system when freed.

/// Makes glibc map allocations of 1 MiB and more on their own and unmap them when freed,
/// instead of raising its threshold and keeping freed hash memory in its arenas. Called once
/// at start-up.
pub fn release_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning; called before the server runs.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;

/// How long a sign-in waits for a free hashing slot before the answer is "busy".
const WAIT_FOR_SLOT: Duration = Duration::from_secs(3);

/// All hashing slots are taken: try again in a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

type Job = Box<dyn FnOnce() + Send>;

pub struct Hasher {
    slots: Semaphore,
    permits: usize,
    jobs: std::sync::mpsc::Sender<Job>,
}

impl Default for Hasher {
    /// As many hashes at once as the machine has cores (at least two).
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores.max(2))
    }
}

impl Hasher {
    pub fn new(permits: usize) -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for n in 0..permits {
            let queue = std::sync::Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking a job, not while running it.
                        let job = queue
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => break, // the Hasher was dropped
                        }
                    }
                })
                .expect("start a hashing thread");
        }
        Self {
            slots: Semaphore::new(permits),
            permits,
            jobs,
        }
    }

    pub fn permits(&self) -> usize {
        self.permits
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let _slot = tokio::time::timeout(WAIT_FOR_SLOT, self.slots.acquire())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| Busy)?;
        result.await.map_err(|_| Busy)
    }

    pub async fn hash(&self, password: String) -> Result<String, Busy> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .expect("Argon2 hashing with default parameters cannot fail")
                .to_string()
        })
        .await
    }

    /// Checks a password against a stored PHC string. With `None` (unknown login id) it
    /// hashes against a fixed dummy so the answer takes as long as for a real account.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, Busy> {
        self.run(move || {
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
            let Ok(parsed) = PasswordHash::new(&phc) else {
                return false;
            };
            let ok = Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            ok && known
        })
        .await
    }
}

/// Argon2id hash of a random string nobody knows, same parameters as real hashes.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1cyGr0Gp9bN5y8FTxR0Yw2Jm1m0n3mXkQv3d6q2W7Xs";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let h = Hasher::default();
        let a = h.hash("correct horse battery".into()).await.unwrap();
        let b = h.hash("correct horse battery".into()).await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(
            h.verify("correct horse battery".into(), Some(a.clone()))
                .await
                .unwrap()
        );
        assert!(!h.verify("wrong".into(), Some(a)).await.unwrap());
        assert!(!h.verify("anything".into(), None).await.unwrap());
        // The dummy must parse, or unknown ids would answer faster than real ones.
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_hashes_run_at_once_than_there_are_slots() {
        let h = std::sync::Arc::new(Hasher::new(2));
        let running = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (h, running, most) = (h.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    h.run(move || {
                        use std::sync::atomic::Ordering::SeqCst;
                        let now = running.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(now, SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        running.fetch_sub(1, SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
