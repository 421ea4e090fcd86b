//! A real S3 protocol server for tests: s3s-fs over a temporary directory,
//! checking SigV4 signatures (and presigned URLs' expiry and signed
//! headers), listening on 127.0.0.1:0 inside the test process.

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnectionBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::net::TcpListener;

pub const ACCESS_KEY_ID: &str = "soundstream-test-access-key";
pub const SECRET_ACCESS_KEY: &str = "soundstream-test-secret-key-0123456789";
pub const REGION: &str = "us-east-1";

/// A running server with one empty bucket; it stops when dropped.
pub struct S3TestServer {
    pub endpoint: String,
    pub bucket: String,
    root: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl S3TestServer {
    pub async fn start() -> Self {
        let root = tempfile::tempdir().expect("a temporary directory for the S3 server");
        let bucket = "soundstream-media".to_owned();
        std::fs::create_dir(root.path().join(&bucket)).expect("the bucket directory");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port on 127.0.0.1");
        let endpoint = format!("http://{}", listener.local_addr().expect("a bound address"));
        let task = tokio::spawn(serve(listener, root.path().to_owned()));
        Self {
            endpoint,
            bucket,
            root,
            task,
        }
    }

    /// Where an object's bytes are on disk, to check what really arrived.
    pub fn object_path(&self, key: &str) -> std::path::PathBuf {
        self.root.path().join(&self.bucket).join(key)
    }
}

/// Answers S3 requests on `listener` from the buckets (directories) under
/// `root` until the task is dropped or the listener fails.
pub async fn serve(listener: TcpListener, root: std::path::PathBuf) {
    let filesystem = s3s_fs::FileSystem::new(root).expect("an s3s-fs store");
    let service = {
        let mut builder = S3ServiceBuilder::new(filesystem);
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        builder.build()
    };
    let connections = ConnectionBuilder::new(TokioExecutor::new());
    while let Ok((socket, _)) = listener.accept().await {
        let connection = connections
            .serve_connection(TokioIo::new(socket), service.clone())
            .into_owned();
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
}

impl Drop for S3TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
