"""Static checks of deploy/aws/*.yaml: least privilege, the timings that must
agree, the API's configuration, and the CORS rules scripts/s3-cors shares.

Least privilege, in short:
- no Allow statement names a wildcard action (`*`, `s3:*`, `s3:Get*`), and
  none uses NotAction, NotResource or NotPrincipal;
- no Allow statement has a wildcard resource, except `*` for actions of
  services that offer no resource-level permission (NO_RESOURCE_LEVEL,
  each with its reason), and a trailing `/…*` or `:…*` under a bucket,
  log group or parameter this stack names (one container's objects);
- Deny statements may use wildcards (denying broadly only takes away: the
  buckets' TLS-only rule denies `s3:*`);
- the instance role and the deployer policy name exactly the actions
  listed here, with why; a new call in the API is a change to this file.

Run: python3 -m unittest discover -s deploy/aws/tests -p 'test_templates.py'
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import unittest

import cfn

# Actions allowed on Resource "*": the service has no resource-level
# permission for them (Service Authorization Reference), so "*" is the
# narrowest resource there is.
NO_RESOURCE_LEVEL = {
    "rekognition:DetectFaces": "Rekognition: no resource types for DetectFaces (images are sent as bytes)",
    "rekognition:CompareFaces": "Rekognition: no resource types for CompareFaces without collections (the enrolled picture is read from S3 with the caller's s3:GetObject)",
    "translate:TranslateText": "Translate: resource-level only for custom terminologies, which the API does not use",
    "translate:ListLanguages": "Translate: no resource types",
    "comprehend:DetectDominantLanguage": "Comprehend: no resource types; Translate calls it as the caller for SourceLanguageCode=auto",
    "autoscaling:DescribeInstanceRefreshes": "Auto Scaling: Describe* actions have no resource-level permissions",
}

# What the API's instances call (crates/storage s3.rs, crates/face
# rekognition.rs, crates/translate aws.rs, and the boot script in the
# launch template's user data).
INSTANCE_ACTIONS = {
    "s3:GetObject": "presigned GET, HeadObject, ranged GetObject, the source of CopyObject, Rekognition reading face/* in place; the release binary",
    "s3:PutObject": "presigned PUT (uploads), PutObject (covers, faces, import), the target of CopyObject",
    "s3:DeleteObject": "the sweep of abandoned uploads and deleted entities",
    "s3:ListBucket": "HeadBucket (/readyz storage check); a missing key answers 404, not 403",
    "ssm:GetParameter": "the boot script reads the release pointer and the environment",
    "secretsmanager:GetSecretValue": "the boot script reads the JWT secret, the metrics token and the database credentials",
    "logs:CreateLogStream": "the CloudWatch agent's stream per instance",
    "logs:PutLogEvents": "the CloudWatch agent ships the API's JSON log",
    "rekognition:DetectFaces": "face enrolment",
    "rekognition:CompareFaces": "face login",
    "translate:TranslateText": "lyrics translation",
    "translate:ListLanguages": "/api/v1/languages and /api/v1/config",
    "comprehend:DetectDominantLanguage": "TranslateText with SourceLanguageCode=auto",
}

DEPLOYER_ACTIONS = {
    "s3:PutObject": "upload a release binary and the player's files",
    "s3:AbortMultipartUpload": "clean up a failed large upload (the binary goes up in parts)",
    "ssm:GetParameter": "read the release pointer (rollback to the previous release)",
    "ssm:PutParameter": "point the instances at the new release",
    "autoscaling:StartInstanceRefresh": "roll the instances",
    "autoscaling:DescribeInstanceRefreshes": "wait for the refresh to finish",
    "cloudformation:DescribeStacks": "read the stack's outputs (bucket names, the group)",
}

# Auto Scaling group ARNs hold a generated id; the group's name pins it.
ASG_ARN = re.compile(r"^arn:\$\{AWS::Partition\}:autoscaling:\$\{AWS::Region\}:\$\{AWS::AccountId\}:"
                     r"autoScalingGroup:\*:autoScalingGroupName/\$\{\w+\}$")


def wildcard_action_problems(statement) -> list[str]:
    problems = []
    for key in ("NotAction", "NotResource", "NotPrincipal"):
        if key in statement:
            problems.append(f"uses {key}")
    for action in cfn.as_list(statement.get("Action", [])):
        if "*" in action or "?" in action:
            problems.append(f"wildcard action {action!r}")
    return problems


def resource_problems(statement, owned: set[str]) -> list[str]:
    """Wildcards in an Allow statement's resources that are not scoped to a
    container this stack names, or `*` for an action that has
    resource-level permissions."""
    problems = []
    actions = cfn.as_list(statement.get("Action", []))
    for resource in cfn.as_list(statement.get("Resource", [])):
        text = cfn.render(resource)
        if "*" not in text and "?" not in text:
            continue
        if text == "*":
            scoped = [a for a in actions if a not in NO_RESOURCE_LEVEL]
            if scoped:
                problems.append(f"Resource '*' for {scoped}, which have resource-level permissions")
            continue
        if ASG_ARN.match(text):
            continue
        references = re.findall(r"\$\{([\w.:]+)\}", text)
        named = [r for r in references if r.split(".")[0] in owned]
        first_wildcard = min(i for i in (text.find("*"), text.find("?")) if i >= 0)
        scoped_prefix = text[:first_wildcard]
        if (
            not named
            or not any(f"${{{r}}}" in scoped_prefix for r in named)
            or text.count("*") != 1
            or "?" in text
            or not text.endswith("*")
            or scoped_prefix[-1] not in "/:"
        ):
            problems.append(f"wildcard resource {text!r}")
            continue
        if text.startswith("arn:"):
            fields = text.split(":", 5)
            if any("*" in f for f in fields[:5]):
                problems.append(f"wildcard in the partition, service, region or account of {text!r}")
    return problems


def policy_problems(template: dict) -> list[str]:
    """Every least-privilege violation in a template, as readable lines."""
    owned = set(template.get("Resources", {})) | set(template.get("Parameters", {}))
    found = []
    for _, label, document in cfn.policy_documents(template):
        for statements in cfn.statement_lists(document):
            for statement in statements:
                where = f"{label} {statement.get('Sid', '')}".strip()
                if statement.get("Effect") != "Allow":
                    continue
                found += [f"{where}: {p}" for p in wildcard_action_problems(statement)]
                found += [f"{where}: {p}" for p in resource_problems(statement, owned)]
                if statement.get("Principal") == "*" or statement.get("Principal") == {"AWS": "*"}:
                    if cfn.as_list(statement["Action"]) != ["s3:GetObject"]:
                        found.append(f"{where}: a public statement grants more than s3:GetObject")
    for logical_id, document in cfn.trust_policies(template):
        for statements in cfn.statement_lists(document):
            for statement in statements:
                principal = statement.get("Principal")
                if principal == "*" or not isinstance(principal, dict) or set(principal) != {"Service"}:
                    found.append(f"{logical_id} trust policy: only AWS services may assume it, not {principal!r}")
    return found


def actions_of(template: dict, logical_id: str) -> set[str]:
    actions = set()
    for owner, _, document in cfn.policy_documents(template):
        if owner != logical_id:
            continue
        for statements in cfn.statement_lists(document):
            for statement in statements:
                if statement.get("Effect") == "Allow":
                    actions.update(cfn.as_list(statement["Action"]))
    return actions


def env_lines(template: dict) -> dict[str, str]:
    value = template["Resources"]["ApiConfig"]["Properties"]["Value"]["Fn::Sub"][0]
    return dict(line.split("=", 1) for line in value.strip().splitlines())


class LeastPrivilege(unittest.TestCase):
    def test_templates_have_no_wildcards_beyond_the_listed_exceptions(self):
        for name in cfn.TEMPLATES:
            with self.subTest(template=name):
                self.assertEqual(policy_problems(cfn.load(name)), [])

    def test_the_instance_role_names_exactly_what_the_api_calls(self):
        self.assertEqual(actions_of(cfn.load("soundstream"), "InstanceRole"), set(INSTANCE_ACTIONS))

    def test_the_deployer_policy_names_exactly_what_a_release_does(self):
        self.assertEqual(actions_of(cfn.load("soundstream"), "DeployerPolicy"), set(DEPLOYER_ACTIONS))

    def test_media_objects_are_granted_by_the_prefixes_the_api_makes(self):
        template = cfn.load("soundstream")
        statements = template["Resources"]["InstanceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        media = next(s for s in statements if s.get("Sid") == "MediaObjects")
        prefixes = sorted(cfn.render(r) for r in media["Resource"])
        self.assertEqual(prefixes, ["${MediaBucket.Arn}/audio/*", "${MediaBucket.Arn}/face/*", "${MediaBucket.Arn}/image/*"])
        # The key prefixes the code generates.
        root = cfn.AWS_DIR.parent.parent
        uploads = (root / "api/src/persistence/uploads.rs").read_text()
        face = (root / "api/src/services/face.rs").read_text()
        made = set(re.findall(r'UploadKind::\w+ => "(\w+)"', uploads)) | set(re.findall(r'new_object_key\("(\w+)"\)', face))
        self.assertEqual(made, {"audio", "image", "face"})

    def test_the_exceptions_are_used_and_explained(self):
        template = cfn.load("soundstream")
        star_actions = set()
        for _, _, document in cfn.policy_documents(template):
            for statements in cfn.statement_lists(document):
                for s in statements:
                    if s.get("Effect") == "Allow" and "*" in cfn.as_list(s.get("Resource", [])):
                        star_actions.update(cfn.as_list(s["Action"]))
        self.assertEqual(star_actions, set(NO_RESOURCE_LEVEL))
        self.assertTrue(all(len(reason) > 20 for reason in NO_RESOURCE_LEVEL.values()))


class PlantedFaults(unittest.TestCase):
    """The checker finds what it is for (each fault planted in a copy)."""

    def setUp(self):
        self.template = cfn.load("soundstream")
        self.statements = self.template["Resources"]["InstanceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]

    def test_a_wildcard_action_fails(self):
        self.statements[0]["Action"] = ["s3:*"]
        self.assertIn("InstanceRole/soundstream-api MediaObjects: wildcard action 's3:*'", policy_problems(self.template))

    def test_a_partial_wildcard_action_fails(self):
        self.statements[0]["Action"] = ["s3:Get*"]
        self.assertTrue(any("wildcard action 's3:Get*'" in p for p in policy_problems(self.template)))

    def test_a_wildcard_resource_fails(self):
        self.statements[0]["Resource"] = "*"
        self.assertTrue(any("Resource '*' for" in p for p in policy_problems(self.template)))

    def test_a_whole_service_resource_fails(self):
        self.statements[0]["Resource"] = "arn:aws:s3:::*"
        self.assertTrue(any("wildcard resource 'arn:aws:s3:::*'" in p for p in policy_problems(self.template)))

    def test_a_wildcard_account_fails(self):
        self.statements[4]["Resource"] = {"Fn::Sub": "arn:aws:secretsmanager:*:*:secret:${JwtSecret}*"}
        self.assertTrue(policy_problems(self.template))

    def test_a_wildcard_inside_a_conditional_statement_fails(self):
        translation = self.statements[-1]
        translation["Fn::If"][1]["Action"].append("translate:*")
        self.assertTrue(any("translate:*" in p for p in policy_problems(self.template)))

    def test_not_action_fails(self):
        self.statements[0]["NotAction"] = self.statements[0].pop("Action")
        self.assertTrue(any("uses NotAction" in p for p in policy_problems(self.template)))

    def test_a_public_write_fails(self):
        policy = self.template["Resources"]["PlayerBucketPolicy"]["Properties"]["PolicyDocument"]
        public = policy["Statement"]["Fn::If"][2][0]
        public["Action"] = ["s3:GetObject", "s3:PutObject"]
        self.assertTrue(any("public statement" in p for p in policy_problems(self.template)))

    def test_an_extra_instance_action_fails(self):
        self.statements[1]["Action"] = ["s3:ListBucket", "s3:ListBucketVersions"]
        self.assertNotEqual(actions_of(self.template, "InstanceRole"), set(INSTANCE_ACTIONS))


class Timings(unittest.TestCase):
    """The relations in soundstream.yaml's header."""

    def setUp(self):
        self.template = cfn.load("soundstream")
        timing = self.template["Mappings"]["Timing"]
        self.api, self.lb = timing["Api"], timing["LoadBalancer"]

    def test_the_drain_outlasts_the_load_balancer_noticing(self):
        noticed = self.lb["HealthCheckInterval"] * self.lb["UnhealthyThreshold"] + self.lb["HealthCheckTimeout"]
        self.assertGreaterEqual(self.api["DrainSeconds"], noticed)

    def test_the_deregistration_delay_is_the_drain_plus_the_in_flight_grace(self):
        self.assertEqual(self.lb["DeregistrationDelay"], self.api["DrainSeconds"] + self.api["InFlightSeconds"])
        # The API's own grace for requests in flight (api/src/startup.rs).
        startup = (cfn.AWS_DIR.parent.parent / "api/src/startup.rs").read_text()
        self.assertIn(f"SHUTDOWN_TIMEOUT: Duration = Duration::from_secs({self.api['InFlightSeconds']})", startup)

    def test_systemd_waits_longer_than_the_api_shuts_down(self):
        self.assertGreater(self.api["StopTimeoutSeconds"], self.api["DrainSeconds"] + self.api["InFlightSeconds"])

    def test_the_load_balancer_drops_idle_connections_before_the_api_does(self):
        self.assertLess(self.lb["IdleTimeout"], self.api["KeepAliveSeconds"])
        startup = (cfn.AWS_DIR.parent.parent / "api/src/startup.rs").read_text()
        self.assertIn(f".keep_alive(Duration::from_secs({self.api['KeepAliveSeconds']}))", startup)

    def test_the_drain_is_within_what_the_api_accepts(self):
        self.assertLessEqual(self.api["DrainSeconds"], 300)

    def test_resources_take_their_timings_from_the_mapping(self):
        resources = self.template["Resources"]
        group = resources["ApiTargetGroup"]["Properties"]
        self.assertEqual(group["HealthCheckPath"], "/readyz")
        self.assertEqual(group["HealthCheckIntervalSeconds"], {"Fn::FindInMap": ["Timing", "LoadBalancer", "HealthCheckInterval"]})
        self.assertEqual(group["UnhealthyThresholdCount"], {"Fn::FindInMap": ["Timing", "LoadBalancer", "UnhealthyThreshold"]})
        self.assertEqual(group["TargetGroupAttributes"], [
            {"Key": "deregistration_delay.timeout_seconds", "Value": {"Fn::FindInMap": ["Timing", "LoadBalancer", "DeregistrationDelay"]}},
        ])
        self.assertEqual(env_lines(self.template)["SOUNDSTREAM_SHUTDOWN_DRAIN_SECONDS"], "${Drain}")
        user_data = resources["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["UserData"]["Fn::Base64"]["Fn::Sub"]
        self.assertIn("TimeoutStopSec=${StopTimeout}", user_data[0])
        self.assertEqual(user_data[1]["StopTimeout"], {"Fn::FindInMap": ["Timing", "Api", "StopTimeoutSeconds"]})


class ApiConfiguration(unittest.TestCase):
    def setUp(self):
        self.template = cfn.load("soundstream")
        self.env = env_lines(self.template)
        self.user_data = self.template["Resources"]["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["UserData"]["Fn::Base64"]["Fn::Sub"][0]

    def test_the_environment_is_what_production_needs(self):
        self.assertEqual(self.env["SOUNDSTREAM_ENV"], "production")
        self.assertEqual(self.env["SOUNDSTREAM_STORAGE"], "s3")
        self.assertEqual(self.env["SOUNDSTREAM_S3_BUCKET"], "${MediaBucket}")
        self.assertEqual(self.env["SOUNDSTREAM_LOG_FORMAT"], "json")
        self.assertTrue(self.env["SOUNDSTREAM_PUBLIC_URL"].startswith("https://"))
        self.assertEqual(self.env["SOUNDSTREAM_TRUSTED_PROXIES"], "${PublicA},${PublicB}")
        # The port the target group and the security groups use.
        self.assertEqual(self.env["SOUNDSTREAM_BIND"], "0.0.0.0:8080")
        self.assertEqual(self.template["Resources"]["ApiTargetGroup"]["Properties"]["Port"], 8080)
        for secret in ("SOUNDSTREAM_JWT_SECRET", "SOUNDSTREAM_METRICS_TOKEN", "DATABASE_URL"):
            self.assertIn(f"{secret}=", self.user_data)
        self.assertIn("sslmode=verify-full", self.user_data)

    def test_every_variable_is_one_the_api_reads(self):
        config = (cfn.AWS_DIR.parent.parent / "api/src/config.rs").read_text()
        read = set(re.findall(r'get\("([A-Z0-9_]+)"\)', config))
        names = set(self.env) | {"SOUNDSTREAM_JWT_SECRET", "SOUNDSTREAM_METRICS_TOKEN", "DATABASE_URL"}
        self.assertEqual(names - read, set())


class MediaBucket(unittest.TestCase):
    def test_cors_rules_match_the_shared_json(self):
        shared = json.loads((cfn.AWS_DIR / "media-bucket-cors.json").read_text())["CORSRules"][0]
        rule = cfn.load("soundstream")["Resources"]["MediaBucket"]["Properties"]["CorsConfiguration"]["CorsRules"][0]
        self.assertEqual(rule["Id"], shared["ID"])
        self.assertEqual(rule["AllowedMethods"], shared["AllowedMethods"])
        self.assertEqual(rule["AllowedHeaders"], shared["AllowedHeaders"])
        self.assertEqual(rule["ExposedHeaders"], shared["ExposeHeaders"])
        self.assertEqual(rule["MaxAge"], shared["MaxAgeSeconds"])

    def test_private_versioned_encrypted(self):
        props = cfn.load("soundstream")["Resources"]["MediaBucket"]["Properties"]
        self.assertEqual(set(props["PublicAccessBlockConfiguration"].values()), {True})
        self.assertEqual(props["VersioningConfiguration"]["Status"], "Enabled")
        self.assertIn("SSEAlgorithm", props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"])
        rules = {r["Id"]: r for r in props["LifecycleConfiguration"]["Rules"]}
        self.assertEqual(rules["abort-incomplete-multipart"]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"], 1)
        # No rule expires current objects: pending and verified uploads
        # share their prefixes (see the template).
        self.assertFalse(any("ExpirationInDays" in r or "ExpirationDate" in r for r in rules.values()))


class Suppressions(unittest.TestCase):
    def test_every_checkov_suppression_gives_its_reason(self):
        for name in cfn.TEMPLATES:
            for logical_id, resource in cfn.load(name)["Resources"].items():
                for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                    with self.subTest(resource=logical_id, check=skip.get("id")):
                        self.assertRegex(skip["id"], r"^CKV2?_AWS_\d+$")
                        self.assertGreater(len(skip.get("comment", "")), 40)


if __name__ == "__main__":
    unittest.main()


class UserData(unittest.TestCase):
    """The launch template's boot script, rendered with stand-in values."""

    VALUES = {
        "AWS::Region": "us-east-1", "AWS::StackName": "music", "ArtifactsBucket": "music-artifacts",
        "JwtSecret": "arn:jwt", "MetricsTokenSecret": "arn:metrics", "DatabaseSecret": "arn:db",
        "DbHost": "db.example.internal", "DbPort": "5432", "StopTimeout": "60", "ApiLogGroup": "/soundstream/music/api",
    }

    def setUp(self):
        sub = cfn.load("soundstream")["Resources"]["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["UserData"]["Fn::Base64"]["Fn::Sub"]
        self.script = re.sub(r"\$\{([\w:.]+)\}", lambda m: self.VALUES[m.group(1)], sub[0])
        self.tmp = pathlib.Path(tempfile.mkdtemp())

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def config_script(self) -> str:
        return self.script.split("<<'SCRIPT'\n", 1)[1].split("\nSCRIPT\n", 1)[0]

    def test_every_reference_is_a_template_value(self):
        sub = cfn.load("soundstream")["Resources"]["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["UserData"]["Fn::Base64"]["Fn::Sub"]
        template = cfn.load("soundstream")
        known = set(template["Resources"]) | set(template["Parameters"]) | set(sub[1]) | {"AWS::Region", "AWS::StackName"}
        self.assertEqual(set(re.findall(r"\$\{([\w:.]+)\}", sub[0])) - known, set())

    def test_the_scripts_parse(self):
        for name, text in (("user data", self.script), ("soundstream-config", self.config_script())):
            with self.subTest(script=name):
                run = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)
                self.assertEqual(run.returncode, 0, run.stderr)

    def test_the_config_script_writes_the_environment(self):
        # A stand-in `aws` answering what Parameter Store and Secrets Manager would.
        bin_dir = self.tmp / "bin"
        bin_dir.mkdir()
        (bin_dir / "aws").write_text("""#!/bin/bash
case "$*" in
  *"ssm get-parameter --name /soundstream/music/config"*) printf 'SOUNDSTREAM_ENV=production\\nSOUNDSTREAM_STORAGE=s3\\n' ;;
  *"--secret-id arn:jwt"*) echo jwtjwtjwtjwtjwtjwtjwtjwtjwtjwtjwtjwt ;;
  *"--secret-id arn:metrics"*) echo metricsmetricsmetrics ;;
  *"--secret-id arn:db"*) echo '{"username": "soundstream", "password": "p$a!s(s)w=o;r<d>"}' ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
""")
        (bin_dir / "aws").chmod(0o755)
        script = self.config_script().replace("/etc/soundstream/", f"{self.tmp}/")
        env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
        run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = (self.tmp / "env").read_text().splitlines()
        self.assertEqual(lines, [
            "SOUNDSTREAM_ENV=production",
            "SOUNDSTREAM_STORAGE=s3",
            "SOUNDSTREAM_JWT_SECRET=jwtjwtjwtjwtjwtjwtjwtjwtjwtjwtjwtjwt",
            "SOUNDSTREAM_METRICS_TOKEN=metricsmetricsmetrics",
            "DATABASE_URL=postgres://soundstream:p%24a%21s%28s%29w%3Do%3Br%3Cd%3E@db.example.internal:5432/soundstream"
            f"?sslmode=verify-full&sslrootcert={self.tmp}/rds-ca.pem",
        ])
        self.assertEqual((self.tmp / "env").stat().st_mode & 0o777, 0o600)

    def test_a_failed_secret_read_writes_nothing(self):
        bin_dir = self.tmp / "bin"
        bin_dir.mkdir()
        (bin_dir / "aws").write_text("#!/bin/bash\ncase \"$*\" in *arn:metrics*) exit 255 ;; *) echo '{\"username\": \"u\", \"password\": \"p\"}' ;; esac\n")
        (bin_dir / "aws").chmod(0o755)
        script = self.config_script().replace("/etc/soundstream/", f"{self.tmp}/")
        run = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                             env=dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}"))
        self.assertNotEqual(run.returncode, 0)
        self.assertFalse((self.tmp / "env").exists())
