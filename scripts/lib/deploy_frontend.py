"""Uploads a built web player (dist/) to an S3 bucket the way a static host
needs it; scripts/deploy-frontend runs it with boto3 from the tools venv.

- Every object gets its Content-Type from the table below (a file of a kind
  not in it stops the upload: S3 would serve it as binary/octet-stream, and
  the browser refuses e.g. a wasm module that is not application/wasm).
- Content-hashed files (Trunk's `name-<16 hex>[_bg].ext`, the rule the API
  uses in api/src/http/web_player.rs) never change under their name:
  `Cache-Control: public, max-age=31536000, immutable`. Everything else
  (index.html, config.json, boot.js, …) is `no-cache`: revalidated on every
  load, so a release shows at once.
- The `<file>.br` files the build writes: S3 (and its website endpoint)
  sends an object with the headers stored on it, whatever the request's
  Accept-Encoding; it does not pick a `.br` sibling. So:
  `--content-encoding identity` (the default; the HTTP website endpoint,
  where Chrome and Firefox do not accept brotli) uploads the plain files
  and skips the `.br` ones; `--content-encoding brotli` (the player behind
  CloudFront, HTTPS only, where every browser that runs the player accepts
  br) stores each file's brotli bytes under the plain name with
  `Content-Encoding: br`. CloudFront compresses JS/CSS/HTML on the fly
  anyway, but not application/wasm, the largest file.
- Order: hashed assets first, then the rest, index.html and config.json
  last, so nobody loads an index.html that names files not there yet. Old
  hashed files stay (a player opened before the release still loads its
  own); the bucket's lifecycle only expires replaced versions.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import sys

import boto3
from botocore.config import Config

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
LAST = ("index.html", "config.json")


def is_content_hashed(name: str) -> bool:
    """Trunk's `<name>-<16 hex digits>[_bg].<ext>` (web_player.rs's rule)."""
    return re.search(r"-[0-9a-fA-F]{16}[._]", name) is not None


def plan(dist: pathlib.Path, api_url: str, encoding: str) -> list[dict]:
    """What to upload, in order: key, bytes, and headers."""
    files = sorted(p for p in dist.rglob("*") if p.is_file() and p.suffix != ".br")
    uploads = []
    for path in files:
        key = path.relative_to(dist).as_posix()
        content_type = CONTENT_TYPES.get(path.suffix)
        if content_type is None:
            raise SystemExit(f"deploy-frontend: no content type for {key}; add its extension to CONTENT_TYPES")
        item = {
            "key": key,
            "body": path.read_bytes(),
            "ContentType": content_type,
            "CacheControl": IMMUTABLE if is_content_hashed(path.name) else REVALIDATE,
        }
        if key == "config.json":
            item["body"] = (json.dumps({"api_base_url": api_url}, indent=2) + "\n").encode()
        brotli = path.with_name(path.name + ".br")
        if encoding == "brotli" and brotli.exists() and key != "config.json":
            item["body"] = brotli.read_bytes()
            item["ContentEncoding"] = "br"
        uploads.append(item)
    if not any(u["key"] == "index.html" for u in uploads):
        raise SystemExit(f"deploy-frontend: {dist} has no index.html (build the player first)")

    def order(item):
        name = item["key"]
        return (2 if name in LAST else 0 if is_content_hashed(name) else 1, LAST.index(name) if name in LAST else 0, name)

    return sorted(uploads, key=order)


def client():
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    config = Config(s3={"addressing_style": "path"}) if endpoint else None
    return boto3.client("s3", endpoint_url=endpoint or None, config=config)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", required=True, type=pathlib.Path)
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--api-url", required=True, help="the API's public URL, written to config.json")
    parser.add_argument("--content-encoding", choices=("identity", "brotli"), default="identity")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, upload nothing")
    args = parser.parse_args()
    if not re.match(r"^(https?://[^/\s]+|/[^\s]*|)$", args.api_url):
        raise SystemExit(f"deploy-frontend: --api-url {args.api_url!r}: expected https://host[:port], a path, or empty")

    uploads = plan(args.dist, args.api_url.rstrip("/"), args.content_encoding)
    s3 = None if args.dry_run else client()
    total = 0
    for item in uploads:
        extra = {k: v for k, v in item.items() if k not in ("key", "body")}
        encoding = f" ({extra['ContentEncoding']})" if "ContentEncoding" in extra else ""
        print(f"{item['key']:<48} {len(item['body']):>9} B  {extra['ContentType']:<32} {extra['CacheControl']}{encoding}")
        total += len(item["body"])
        if s3 is not None:
            s3.put_object(Bucket=args.bucket, Key=item["key"], Body=item["body"], **extra)
    verb = "would upload" if args.dry_run else "uploaded"
    print(f"{verb} {len(uploads)} files, {total / 1024:.0f} KiB, to s3://{args.bucket}/ (content encoding: {args.content_encoding})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
