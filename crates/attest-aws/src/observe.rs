//! What a collection tells while it runs and after: the API calls it made (counted by an SDK
//! interceptor on every client) and its progress through the (service, region) jobs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Calls of one operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallCount {
    /// Operations executed (one per `send()`).
    pub calls: usize,
    /// HTTP attempts, retries included.
    pub attempts: usize,
    /// Operations that ended in an error after their retries.
    pub failed: usize,
}

/// Every operation called, keyed by `service:Operation` (as the SDK names them, e.g.
/// `EC2:DescribeSecurityGroups`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallSummary {
    pub operations: BTreeMap<String, CallCount>,
}

impl CallSummary {
    pub fn total(&self) -> CallCount {
        self.operations
            .values()
            .fold(CallCount::default(), |a, c| CallCount {
                calls: a.calls + c.calls,
                attempts: a.attempts + c.attempts,
                failed: a.failed + c.failed,
            })
    }

    /// Calls per service, for a one-line summary.
    pub fn by_service(&self) -> BTreeMap<String, CallCount> {
        let mut out: BTreeMap<String, CallCount> = BTreeMap::new();
        for (op, c) in &self.operations {
            let service = op.split(':').next().unwrap_or(op).to_string();
            let e = out.entry(service).or_default();
            e.calls += c.calls;
            e.attempts += c.attempts;
            e.failed += c.failed;
        }
        out
    }
}

/// A progress event: `done` of `total` jobs finished; `job` is the one that just did
/// (`<service> <region>`).
#[derive(Debug, Clone)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub job: String,
}

type ProgressFn = dyn Fn(&Progress) + Send + Sync;

/// Shared by every session and client of one collection.
#[derive(Clone, Default)]
pub struct Observer {
    calls: Arc<Mutex<BTreeMap<String, CallCount>>>,
    progress: Option<Arc<ProgressFn>>,
    total: Arc<AtomicUsize>,
    done: Arc<AtomicUsize>,
}

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Observer")
            .field("calls", &self.summary())
            .finish_non_exhaustive()
    }
}

impl Observer {
    pub fn new() -> Observer {
        Observer::default()
    }

    /// Calls `f` each time a (service, region) job finishes.
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Observer {
        self.progress = Some(Arc::new(f));
        self
    }

    /// The calls made so far.
    pub fn summary(&self) -> CallSummary {
        CallSummary {
            operations: self.calls.lock().map(|m| m.clone()).unwrap_or_default(),
        }
    }

    pub(crate) fn add_jobs(&self, n: usize) {
        self.total.fetch_add(n, Ordering::SeqCst);
    }

    pub(crate) fn job_done(&self, job: String) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(f) = &self.progress {
            f(&Progress {
                done,
                total: self.total.load(Ordering::SeqCst),
                job,
            });
        }
    }

    fn record(&self, cfg: &ConfigBag, f: impl FnOnce(&mut CallCount)) {
        let key = cfg
            .load::<Metadata>()
            .map(|m| format!("{}:{}", m.service(), m.name()))
            .unwrap_or_else(|| "unknown:unknown".to_string());
        if let Ok(mut m) = self.calls.lock() {
            f(m.entry(key).or_default());
        }
    }

    /// The interceptor every client of this collection carries.
    pub(crate) fn interceptor(&self) -> CountCalls {
        CountCalls(self.clone())
    }
}

/// Counts operations, attempts and failures.
#[derive(Debug, Clone)]
pub(crate) struct CountCalls(Observer);

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "attest::CountCalls"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.record(cfg, |c| c.attempts += 1);
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let failed = matches!(context.output_or_error(), Some(Err(_)));
        self.0.record(cfg, |c| {
            c.calls += 1;
            if failed {
                c.failed += 1;
            }
        });
        Ok(())
    }
}
