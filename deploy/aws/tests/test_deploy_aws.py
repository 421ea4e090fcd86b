"""scripts/deploy-aws without AWS: --dry-run prints the AWS commands it would
run (with <stack.Output> placeholders for what it would read back), so the
order, the arguments and the checks before any call can be tested."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[3]
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"


def deploy(*args: str, path_prefix: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if path_prefix:
        env["PATH"] = f"{path_prefix}:{env['PATH']}"
    return subprocess.run([ROOT / "scripts/deploy-aws", *args], capture_output=True, text=True, env=env, timeout=300)


def commands(output: str) -> list[str]:
    return [line[2:] for line in output.splitlines() if line.startswith("+ ")]


class DryRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Any dynamically linked binary of this machine stands in for the release.
        cls.binary = shutil.which("true")

    def test_a_full_deploy_in_order(self):
        run = deploy("--stack", "music", "--api-domain", "api.music.example.com", "--certificate-arn", CERT,
                     "--binary", self.binary, "--dry-run", "--parameter", "NatGateways=1")
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = commands(run.stdout)
        verbs = [" ".join(line.split()[:3]) for line in lines]
        self.assertEqual(verbs, [
            "aws cloudformation deploy",
            "aws s3 cp",
            "aws ssm put-parameter",
            "aws cloudformation deploy",
            "aws autoscaling start-instance-refresh",
            "aws autoscaling describe-instance-refreshes",
            f"{ROOT}/scripts/deploy-frontend --stack music",
        ])
        self.assertIn("--stack-name music-artifacts --template-file deploy/aws/artifacts.yaml", lines[0])
        digest = subprocess.run(["sha256sum", self.binary], capture_output=True, text=True).stdout.split()[0]
        self.assertIn(f"s3://\\<music-artifacts.ArtifactsBucket\\>/releases/{digest}/soundstream", lines[1])
        self.assertIn(f"--name /soundstream/music/release --type String --overwrite --value releases/{digest}/soundstream\\ {digest}", lines[2])
        main = lines[3]
        for part in ("--stack-name music", "--template-file deploy/aws/soundstream.yaml", "--capabilities CAPABILITY_IAM",
                     "ApiDomainName=api.music.example.com", f"CertificateArn={CERT}", "PlayerCdn=cloudfront", "NatGateways=1",
                     "--s3-bucket \\<music-artifacts.ArtifactsBucket\\>", "--no-fail-on-empty-changeset"):
            self.assertIn(part, main)
        self.assertIn('\\"MinHealthyPercentage\\":100', lines[4])
        self.assertIn('\\"MaxHealthyPercentage\\":200', lines[4])

    def test_a_release_only_deploy_changes_no_infrastructure(self):
        run = deploy("--stack", "music", "--release-only", "--binary", self.binary, "--dry-run", "--skip-frontend")
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = commands(run.stdout)
        self.assertFalse(any("cloudformation deploy" in line for line in lines))
        self.assertIn("s3://\\<music.ArtifactsBucket\\>/releases/", lines[0])
        self.assertEqual([" ".join(line.split()[:3]) for line in lines[1:]],
                         ["aws ssm put-parameter", "aws autoscaling start-instance-refresh", "aws autoscaling describe-instance-refreshes"])

    def test_destroy_turns_deletion_protection_off_first(self):
        run = deploy("--stack", "music", "--destroy", "--dry-run")
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = commands(run.stdout)
        self.assertIn("update-stack", lines[0])
        self.assertIn("DeletionProtection=false", lines[0])
        deletes = [line for line in lines if "delete-stack" in line]
        self.assertEqual([d.split("--stack-name ")[1] for d in deletes], ["music", "music-artifacts"])

    def test_missing_arguments_are_refused_before_anything_runs(self):
        run = deploy("--stack", "music", "--dry-run")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("--api-domain is required", run.stderr)
        self.assertEqual(commands(run.stdout), [])
        run = deploy("--stack", "bad_name!", "--dry-run")
        self.assertIn("letters, digits and hyphens", run.stderr)

    def test_a_binary_too_new_for_amazon_linux_is_refused(self):
        fake = tempfile.mkdtemp()
        try:
            objdump = pathlib.Path(fake, "objdump")
            objdump.write_text("#!/bin/sh\necho '0000 DF *UND* 0000 (GLIBC_2.39) memcpy'\n")
            objdump.chmod(0o755)
            run = deploy("--stack", "music", "--api-domain", "a.example.com", "--certificate-arn", CERT,
                         "--binary", self.binary, "--dry-run", path_prefix=fake)
            self.assertNotEqual(run.returncode, 0)
            self.assertIn("needs glibc 2.39; Amazon Linux 2023 has 2.34", run.stderr)
            self.assertEqual(commands(run.stdout), [])
        finally:
            shutil.rmtree(fake)


if __name__ == "__main__":
    unittest.main()
