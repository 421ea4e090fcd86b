"""scripts/deploy-frontend against soundstream-s3-server (a real S3 protocol
server, SigV4 checked, s3s-fs, which keeps Content-Type, Cache-Control and
Content-Encoding with each object): upload the built player, GET every
object back over S3 and check its bytes and headers.

Environment: SOUNDSTREAM_S3_SERVER (the binary), SOUNDSTREAM_DIST_DIR (the
built player; scripts/test's release build stage makes dist/).
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import boto3
from botocore.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[3]
# crates/s3-test-server/src/lib.rs
ACCESS_KEY_ID = "soundstream-test-access-key"
SECRET_ACCESS_KEY = "soundstream-test-secret-key-0123456789"
API_URL = "https://api.music.example.com"
IMMUTABLE = "public, max-age=31536000, immutable"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DeployFrontend(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dist = pathlib.Path(os.environ.get("SOUNDSTREAM_DIST_DIR", ROOT / "dist"))
        server = os.environ.get("SOUNDSTREAM_S3_SERVER")
        if not server:
            raise unittest.SkipTest("needs SOUNDSTREAM_S3_SERVER (scripts/test sets it)")
        if not (cls.dist / "index.html").exists():
            raise AssertionError(f"no built player in {cls.dist} (SOUNDSTREAM_DIST_DIR; scripts/test's release build makes dist/)")
        cls.root = tempfile.mkdtemp(prefix="soundstream-s3-")
        port = free_port()
        cls.endpoint = f"http://127.0.0.1:{port}"
        cls.server = subprocess.Popen([server, f"127.0.0.1:{port}", cls.root, "player-http", "player-https"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        cls.env = os.environ | {
            "AWS_ENDPOINT_URL": cls.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        cls.s3 = boto3.client("s3", endpoint_url=cls.endpoint, region_name="us-east-1",
                              aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY,
                              config=Config(s3={"addressing_style": "path"}))
        cls.output = {}
        for bucket, encoding in (("player-http", "identity"), ("player-https", "brotli")):
            run = subprocess.run(
                [ROOT / "scripts/deploy-frontend", "--skip-build", "--dist", cls.dist, "--bucket", bucket,
                 "--api-url", API_URL, "--content-encoding", encoding],
                env=cls.env, capture_output=True, text=True, timeout=600)
            if run.returncode != 0:
                raise AssertionError(f"deploy-frontend failed:\n{run.stdout}\n{run.stderr}")
            cls.output[bucket] = run.stdout

    @classmethod
    def tearDownClass(cls):
        if hasattr(cls, "server"):
            cls.server.terminate()
            cls.server.wait(10)
            shutil.rmtree(cls.root, ignore_errors=True)

    def built_files(self):
        return sorted(p.name for p in self.dist.iterdir() if p.is_file() and p.suffix != ".br")

    def keys(self, bucket):
        return sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=bucket).get("Contents", []))

    def test_every_file_is_uploaded_and_no_br_file(self):
        for bucket in ("player-http", "player-https"):
            self.assertEqual(self.keys(bucket), self.built_files())

    def test_content_types_and_caching(self):
        wasm = [name for name in self.built_files() if name.endswith(".wasm")]
        self.assertGreaterEqual(len(wasm), 2, "the listener's and the admin bundle's wasm")
        for bucket in ("player-http", "player-https"):
            for name in self.built_files():
                with self.subTest(bucket=bucket, key=name):
                    head = self.s3.get_object(Bucket=bucket, Key=name)
                    expected_type = {
                        ".wasm": "application/wasm", ".js": "text/javascript; charset=utf-8",
                        ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                        ".json": "application/json", ".svg": "image/svg+xml",
                    }[pathlib.Path(name).suffix]
                    self.assertEqual(head["ContentType"], expected_type)
                    hashed = re.search(r"-[0-9a-f]{16}[._]", name) is not None
                    self.assertEqual(head["CacheControl"], IMMUTABLE if hashed else "no-cache")
        for name in ("index.html", "config.json", "boot.js"):
            self.assertEqual(self.s3.get_object(Bucket="player-http", Key=name)["CacheControl"], "no-cache")

    def test_identity_uploads_the_plain_bytes(self):
        for name in self.built_files():
            if name == "config.json":
                continue
            with self.subTest(key=name):
                got = self.s3.get_object(Bucket="player-http", Key=name)
                self.assertNotIn("ContentEncoding", got)
                self.assertEqual(got["Body"].read(), (self.dist / name).read_bytes())

    def test_brotli_uploads_the_precompressed_bytes_under_the_plain_name(self):
        import brotli  # noqa: PLC0415 (only this test needs it)

        compressed = 0
        for name in self.built_files():
            with self.subTest(key=name):
                got = self.s3.get_object(Bucket="player-https", Key=name)
                body = got["Body"].read()
                if (self.dist / f"{name}.br").exists() and name != "config.json":
                    compressed += 1
                    self.assertEqual(got["ContentEncoding"], "br")
                    self.assertEqual(body, (self.dist / f"{name}.br").read_bytes())
                    self.assertEqual(brotli.decompress(body), (self.dist / name).read_bytes())
                else:
                    self.assertNotIn("ContentEncoding", got)
        self.assertGreater(compressed, 3)

    def test_config_points_at_the_api(self):
        for bucket in ("player-http", "player-https"):
            body = self.s3.get_object(Bucket=bucket, Key="config.json")["Body"].read()
            self.assertEqual(__import__("json").loads(body), {"api_base_url": API_URL})

    def test_index_and_config_go_last(self):
        for bucket, output in self.output.items():
            uploaded = [line.split()[0] for line in output.splitlines() if not line.startswith(("uploaded", "\x1b", "==>"))]
            self.assertEqual(uploaded[-2:], ["index.html", "config.json"], bucket)
            hashed = [i for i, key in enumerate(uploaded) if re.search(r"-[0-9a-f]{16}[._]", key)]
            self.assertEqual(hashed, list(range(len(hashed))), "hashed assets first")

    def test_a_wrong_signature_is_refused(self):
        # The server checks SigV4, so the uploads above were really signed.
        stranger = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                                aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key="wrong-secret",
                                config=Config(s3={"addressing_style": "path"}))
        with self.assertRaises(Exception):
            stranger.get_object(Bucket="player-http", Key="index.html")


if __name__ == "__main__":
    unittest.main()
