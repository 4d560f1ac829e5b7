//! Plain HTTP/1.1 to the server an xtask started on loopback, one connection per request: the
//! bytes on the wire are what the bench measures, so no client library decompresses them
//! behind our back; and the console's sign-in, for the bench and the contract check alike.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::{Context, Result};

/// The demo manager, whose session the bench's uploads and the contract check use.
pub const MANAGER: (&str, &str) = ("demo-manager", "chelink-demo-2026");

/// A server's answer: its status, its head as sent (status line and headers) and its body,
/// de-chunked but never decompressed.
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    /// The values of the header `name` (any case), in order.
    pub fn headers<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.head
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .filter(move |(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
    }
}

/// `line` (`METHOD /path`) with `headers` and `body`, on a fresh connection closed after it.
pub fn request(port: u16, line: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    // Long enough for a 10 MB photo to be decoded and stored by a debug build.
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{line} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no end to the answer's head")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("no status line")?;
    let mut reply = Reply {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    };
    if reply.headers("transfer-encoding").any(|v| v == "chunked") {
        reply.body = dechunk(&reply.body);
    }
    Ok(reply)
}

/// `GET path` accepting `encoding` (`identity`, `br`, `gzip`).
pub fn get(port: u16, path: &str, encoding: &str) -> Result<Reply> {
    request(
        port,
        &format!("GET {path}"),
        &[("Accept-Encoding", encoding)],
        b"",
    )
}

/// `POST path` of a JSON body; the answer's status.
pub fn post_json(port: u16, path: &str, body: &str) -> Result<u16> {
    let json = [("Content-Type", "application/json")];
    Ok(request(port, &format!("POST {path}"), &json, body.as_bytes())?.status)
}

/// Signs `login` in at the console: the cookies to send with its requests (`name=value; …`,
/// as the server wrote them: case matters).
pub fn sign_in(port: u16, (login, password): (&str, &str)) -> Result<String> {
    let body = serde_json::json!({ "login": login, "password": password }).to_string();
    let json = [("Content-Type", "application/json")];
    let reply = request(port, "POST /api/v1/console/session", &json, body.as_bytes())?;
    anyhow::ensure!(
        reply.status == 200,
        "signing in as {login} answered {}",
        reply.status
    );
    let cookies: Vec<&str> = reply
        .headers("set-cookie")
        .filter_map(|c| c.split(';').next())
        .collect();
    anyhow::ensure!(!cookies.is_empty(), "signing in as {login} set no cookie");
    Ok(cookies.join("; "))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        let end = (start + size).min(data.len());
        out.extend_from_slice(&data[start..end]);
        data = &data[(end + 2).min(data.len())..];
    }
    out
}
