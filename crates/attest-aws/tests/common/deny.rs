//! A proxy in front of moto that answers chosen operations with the error each AWS protocol
//! uses for a denied call and forwards everything else, so the SDK parses a genuine
//! `AccessDenied` / `AccessDeniedException` / `UnauthorizedOperation`.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How a denied operation is recognized and answered.
#[derive(Clone, Copy)]
pub enum Denied {
    /// awsJson: the `X-Amz-Target` header ends with `.<op>`.
    Json(&'static str),
    /// awsQuery (IAM, CloudWatch, ELB): `Action=<op>` in the form body.
    Query(&'static str),
    /// EC2's query dialect, with its own error document.
    Ec2(&'static str),
}

impl Denied {
    fn matches(&self, head: &str, body: &str) -> bool {
        let head = head.to_ascii_lowercase();
        match self {
            Denied::Json(op) => head.lines().any(|l| {
                l.starts_with("x-amz-target:")
                    && l.trim_end().ends_with(&format!(".{}", op.to_ascii_lowercase()))
            }),
            Denied::Query(op) | Denied::Ec2(op) => body.split('&').any(|kv| kv == format!("Action={op}")),
        }
    }

    fn answer(&self) -> String {
        let (status, ctype, extra, body) = match self {
            Denied::Json(op) => (
                "400 Bad Request",
                "application/x-amz-json-1.0",
                "x-amzn-ErrorType: AccessDeniedException\r\n".to_string(),
                format!(
                    r#"{{"__type":"com.amazonaws.dynamodb.v20120810#AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: dynamodb:{op}"}}"#
                ),
            ),
            Denied::Query(op) => (
                "403 Forbidden",
                "text/xml",
                String::new(),
                format!(
                    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: {op}</Message></Error><RequestId>denied-1</RequestId></ErrorResponse>"
                ),
            ),
            Denied::Ec2(op) => (
                "403 Forbidden",
                "text/xml",
                String::new(),
                format!(
                    "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation: ec2:{op}</Message></Error></Errors><RequestID>denied-1</RequestID></Response>"
                ),
            ),
        };
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    }
}

/// Starts the proxy; returns its endpoint.
pub async fn deny_proxy(upstream: &str, denied: Vec<Denied>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
    let addr = listener.local_addr().expect("proxy address");
    let upstream = upstream
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let denied = Arc::new(denied);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            let denied = denied.clone();
            tokio::spawn(async move {
                let _ = serve(client, &upstream, &denied).await;
            });
        }
    });
    format!("http://{addr}")
}

/// One request per connection: read it, deny it or forward it, answer, close.
async fn serve(mut client: TcpStream, upstream: &str, denied: &[Denied]) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).to_string();
    if let Some(d) = denied.iter().find(|d| d.matches(&head, &body)) {
        client.write_all(d.answer().as_bytes()).await?;
        return client.shutdown().await;
    }
    // Forward with `Connection: close`, so the answer ends at EOF.
    let mut request: Vec<u8> = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:") && !l.is_empty())
        .flat_map(|l| format!("{l}\r\n").into_bytes())
        .collect();
    request.extend_from_slice(b"Connection: close\r\n\r\n");
    request.extend_from_slice(&buf[head_end..]);
    let mut up = TcpStream::connect(upstream).await?;
    up.write_all(&request).await?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer).await?;
    client.write_all(&answer).await?;
    client.shutdown().await
}
