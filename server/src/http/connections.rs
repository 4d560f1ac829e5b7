//! Accepting and holding connections: HTTP/1.1 served by hyper one accepted connection at a
//! time, with a header-read timeout that also closes a keep-alive connection left idle, a cap
//! on connections held at once (over it, new ones wait in the kernel's backlog), the client's
//! address for `ConnectInfo<SocketAddr>`, and a graceful stop. `axum::serve` has none of these
//! limits: a client sending a header byte a second stayed connected for minutes, and 1,100 idle
//! connections used up 1,024 file descriptors and stopped the server accepting.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a request's headers may take to arrive, and a keep-alive connection may wait for
/// its next request (hyper times both from the same moment), by default: 10 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections held at once by default, below the descriptor limit (see [`max_connections`]).
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;

/// How long a graceful stop waits for requests in flight before it gives up on them.
const STOP_WAITS_AT_MOST: Duration = Duration::from_secs(10);

/// What `serve_until` holds connections to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Headers must arrive within this; a keep-alive connection idle this long is closed.
    pub header_timeout: Duration,
    /// Connections held at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Raises this process's soft limit on open files to its hard limit and returns the soft
/// limit now in force (`None` where it cannot be read).
pub fn raise_descriptor_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(e) => {
            tracing::warn!(error = %e, "cannot raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE)
                .ok()
                .map(|(soft, _)| soft)
        }
    }
}

/// The connections to hold at once: `wanted`, but never so many that they and the files the
/// server opens itself (databases, assets, logs: 256 kept free) pass `descriptors`.
pub fn max_connections(wanted: usize, descriptors: Option<u64>) -> usize {
    let room = descriptors.map_or(usize::MAX, |limit| {
        usize::try_from(limit.saturating_sub(256)).unwrap_or(usize::MAX)
    });
    wanted.min(room).max(1)
}

/// Serves `app` on `listener` within `limits` until `stop` completes, then lets requests in
/// flight finish (up to `STOP_WAITS_AT_MOST`) and closes idle connections.
pub async fn serve_until(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    stop: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(stop);
    loop {
        // A permit first: at the cap, connections wait in the kernel's backlog, unaccepted,
        // and cost no descriptor.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was accepted: wait a
                    // little rather than spin on the same error.
                    tracing::error!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            app.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client gone, a timeout: nothing for the server to do but close.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(STOP_WAITS_AT_MOST, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after the stop's wait: not waited for");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_stay_below_the_descriptor_limit() {
        assert_eq!(max_connections(10_000, Some(1_024)), 768);
        assert_eq!(max_connections(10_000, Some(1_048_576)), 10_000);
        assert_eq!(max_connections(500, None), 500);
        assert_eq!(max_connections(10_000, Some(10)), 1);
    }
}
