//! Connections held within limits (`server::http::connections`): a client trickling its
//! headers is disconnected at the header timeout, a keep-alive connection left idle is closed
//! too, and at the connection cap a new client waits until an idle one is closed, then is
//! answered. Raw TCP: what matters is when the server closes, which an HTTP client hides.

use std::time::{Duration, Instant};

use server::db::Backend;
use server::http::connections::ConnectionLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::TestApp;

const HEADER_TIMEOUT: Duration = Duration::from_secs(1);

/// Reads until the server closes the connection (or `within` passes: a panic); returns what
/// it sent and when it closed.
async fn until_closed(stream: &mut TcpStream, within: Duration) -> (Vec<u8>, Instant) {
    let mut sent = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return (sent, Instant::now()),
            Ok(Ok(n)) => sent.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for {within:?}"),
        }
    }
}

fn host(address: &str) -> &str {
    address.trim_start_matches("http://")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_trickling_its_headers_is_cut_off_at_the_header_timeout() {
    crate::helpers::run(Backend::Sqlite, |app: TestApp| async move {
        let limits = ConnectionLimits {
            header_timeout: HEADER_TIMEOUT,
            max_connections: 64,
        };
        let address = app.instance_within(limits).await;
        let stream = TcpStream::connect(host(&address)).await.expect("connect");
        let (mut read, mut write) = stream.into_split();
        let start = Instant::now();
        // A header byte every 200 ms: the request line alone would take seconds.
        let trickle = tokio::spawn(async move {
            for byte in b"GET /api/v1/dealers/demo HTTP/1.1\r\nHost: x\r\n\r\n" {
                if write.write_all(&[*byte]).await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        let mut buf = [0u8; 1024];
        let outcome = tokio::time::timeout(Duration::from_secs(5), read.read(&mut buf)).await;
        let took = start.elapsed();
        trickle.abort();
        match outcome {
            Ok(Ok(n)) => assert!(
                !String::from_utf8_lossy(&buf[..n]).contains(" 200 "),
                "a trickled request was answered"
            ),
            Ok(Err(_)) => {}
            Err(_) => panic!("a client trickling its headers was still connected after 5 s"),
        }
        assert!(
            took < HEADER_TIMEOUT + Duration::from_millis(900),
            "cut off after {took:?}, the header timeout is {HEADER_TIMEOUT:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_its_answer() {
    crate::helpers::run(Backend::Sqlite, |app: TestApp| async move {
        let limits = ConnectionLimits {
            header_timeout: HEADER_TIMEOUT,
            max_connections: 64,
        };
        let address = app.instance_within(limits).await;
        let mut stream = TcpStream::connect(host(&address)).await.expect("connect");
        stream
            .write_all(b"GET /api/v1/dealers/demo HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("request");
        let start = Instant::now();
        let (sent, closed) = until_closed(&mut stream, Duration::from_secs(5)).await;
        let text = String::from_utf8_lossy(&sent);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        let idle = closed - start;
        assert!(
            idle < HEADER_TIMEOUT + Duration::from_millis(900),
            "an idle keep-alive connection stayed {idle:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_cap_a_new_client_waits_for_an_idle_one_to_close_and_is_answered() {
    crate::helpers::run(Backend::Sqlite, |app: TestApp| async move {
        let limits = ConnectionLimits {
            header_timeout: HEADER_TIMEOUT,
            max_connections: 4,
        };
        let address = app.instance_within(limits).await;
        // Twelve idle clients: four are held, the rest wait in the backlog, ahead of the client.
        let mut idle = Vec::new();
        for _ in 0..12 {
            idle.push(TcpStream::connect(host(&address)).await.expect("connect"));
        }
        let start = Instant::now();
        let client = reqwest::Client::new();
        let response = tokio::time::timeout(
            Duration::from_secs(30),
            client.get(format!("{address}/api/v1/dealers/demo")).send(),
        )
        .await
        .expect("answered while idle connections are open")
        .expect("request");
        let waited = start.elapsed();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        assert!(
            waited >= HEADER_TIMEOUT,
            "answered after {waited:?}: four idle connections held every place, so the cap was not kept"
        );
        // Every idle client is closed by the server, none kept.
        for stream in &mut idle {
            let (sent, _) = until_closed(stream, Duration::from_secs(30)).await;
            assert!(sent.is_empty() || String::from_utf8_lossy(&sent).starts_with("HTTP/1.1 408"));
        }
    })
    .await;
}
