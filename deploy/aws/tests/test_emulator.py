"""Deploys deploy/aws/*.yaml on moto's CloudFormation emulation (moto_server
on a loopback port, boto3 as scripts/deploy-aws would call AWS) and checks
what was created: the health check and drain settings, buckets not public,
the database not publicly accessible, encryption on, the instance role.

What the emulator cannot show:
- Resource types moto's CloudFormation does not implement are skipped with
  a warning (the stack still completes); MOTO_LACKS lists the ones these
  templates use, and the test fails if that list changes, so it stays true.
  Those resources are checked statically only (cfn-lint, checkov,
  test_templates.py): bucket policies, Secrets Manager secrets, the
  scaling policy, alarms, CloudFront.
- CloudFront is one of them, so the emulator deploys PlayerCdn=website (with
  cloudfront the player bucket's URL, CORS origin and configuration come
  from the distribution, which moto cannot create); cfn-lint and checkov
  check both branches.
- moto's CloudFormation creates S3 buckets with their encryption only, and
  load balancers, target groups and databases without some properties
  (IGNORED_BY_MOTO). After the stack completes, `apply_ignored_properties`
  applies exactly those properties, taken from the template, through the
  services' own APIs, as CloudFormation's handlers would; botocore's models
  and moto check the values, and the assertions read them back. So a
  public bucket or a missing drain setting in the template still fails
  here (PlantedFaults), but that these reach AWS through CloudFormation is
  cfn-lint's part (its schemas), not the emulator's.
- Two moto shortcomings are worked around here, not in the templates:
  `!GetAtt A.B.C` is split at every dot by moto's YAML reader (the template
  uses the long form, which means the same to CloudFormation), and a `Ref`
  to an AWS::RDS::DBParameterGroup returns moto's object instead of the
  group's name (patched below). References to the types moto lacks resolve
  to nothing (the instance role's Secrets statement has no resources there).
  Applying the bucket policies, `"Principal": "*"` is sent as the
  equivalent `{"AWS": "*"}` (moto's logging check reads it as a mapping).
"""

from __future__ import annotations

import ast
import base64
import json
import logging
import re
import socket
import unittest
import warnings

import boto3
import cfn
import test_templates

# The server's request lines and moto's "No Moto CloudFormation support for"
# warnings (MOTO_LACKS says which) would bury the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)
logging.getLogger("moto").setLevel(logging.ERROR)
MOTO_WARNING = ".*not supported by moto's CloudFormation implementation"

MOTO_LACKS = {
    "AWS::S3::BucketPolicy",
    "AWS::SecretsManager::Secret",
    "AWS::AutoScaling::ScalingPolicy",
    "AWS::CloudWatch::Alarm",
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::SNS::Subscription",
}

IGNORED_BY_MOTO = {
    "AWS::S3::Bucket": ["PublicAccessBlockConfiguration", "VersioningConfiguration", "CorsConfiguration",
                        "LifecycleConfiguration", "WebsiteConfiguration", "LoggingConfiguration", "OwnershipControls"],
    "AWS::ElasticLoadBalancingV2::TargetGroup": ["TargetGroupAttributes"],
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ["LoadBalancerAttributes"],
    "AWS::RDS::DBInstance": ["VPCSecurityGroups"],
    # Not implemented at all, but the buckets' logging needs it (moto checks
    # the target bucket lets the logging service write) and the public
    # access checks read it.
    "AWS::S3::BucketPolicy": ["Bucket", "PolicyDocument"],
}

REGION = "us-east-1"
API_DOMAIN = "api.music.example.com"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dump(template: dict) -> str:
    return json.dumps(template)


class Emulator:
    """A moto server on loopback, in this process (so its shortcomings can be
    patched), and boto3 clients for it."""

    def __init__(self):
        from moto.rds.models import DBParameterGroup
        from moto.server import ThreadedMotoServer

        # Here, not at import: unittest's runner resets the warning filters.
        warnings.filterwarnings("ignore", message=MOTO_WARNING)
        # moto's Ref of a parameter group is the object, not its name.
        DBParameterGroup.physical_resource_id = property(lambda self: self.name)
        self.port = _free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION, **self.credentials)

    def stop(self):
        self.server.stop()

    def deploy(self, stack: str, main_template: str, artifacts_template: str | None = None) -> dict:
        """The steps of scripts/deploy-aws: the artifacts stack, a release
        and its pointer, the main stack from the artifacts bucket."""
        cf, s3, ssm, acm = (self.client(s) for s in ("cloudformation", "s3", "ssm", "acm"))
        artifacts_stack = f"{stack}-artifacts"
        cf.create_stack(StackName=artifacts_stack, TemplateBody=artifacts_template or cfn.TEMPLATES["artifacts"].read_text())
        outputs = _outputs(cf, artifacts_stack)
        bucket = outputs["ArtifactsBucket"]
        s3.put_object(Bucket=bucket, Key="releases/0123abc/soundstream", Body=b"\x7fELF release")
        ssm.put_parameter(Name=f"/soundstream/{stack}/release", Type="String",
                          Value="releases/0123abc/soundstream " + "0" * 64, Overwrite=True)
        s3.put_object(Bucket=bucket, Key=f"templates/{stack}.yaml", Body=main_template.encode())
        certificate = acm.request_certificate(DomainName=API_DOMAIN)["CertificateArn"]
        parameters = {
            "ApiDomainName": API_DOMAIN,
            "CertificateArn": certificate,
            "ArtifactsBucket": bucket,
            "PlayerCdn": "website",
        }
        cf.create_stack(
            StackName=stack,
            TemplateURL=f"https://{bucket}.s3.amazonaws.com/templates/{stack}.yaml",
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=["CAPABILITY_IAM"],
        )
        main = _outputs(cf, stack)
        for name, text, params, out in ((artifacts_stack, artifacts_template or cfn.TEMPLATES["artifacts"].read_text(), {}, outputs),
                                        (stack, main_template, parameters, main)):
            apply_ignored_properties(self, cfn.load_text(text), params, _physical(cf, name), out)
        return {"artifacts": outputs, "main": main, "certificate": certificate}


class Resolver:
    """Just enough of CloudFormation's intrinsic functions to read the
    properties moto ignores: Ref, FindInMap, If (with Equals/Not), GetAtt
    of the attributes the stack outputs, and Sub of plain references."""

    def __init__(self, template: dict, parameters: dict, physical: dict, attributes: dict):
        self.template, self.parameters, self.physical, self.attributes = template, parameters, physical, attributes
        defaults = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
        self.values = defaults | parameters | {"AWS::Region": REGION, "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}

    def condition(self, name_or_expr) -> bool:
        expr = self.template["Conditions"][name_or_expr] if isinstance(name_or_expr, str) else name_or_expr
        if "Fn::Equals" in expr:
            a, b = (self(v) for v in expr["Fn::Equals"])
            return str(a) == str(b)
        if "Fn::Not" in expr:
            return not self.condition(expr["Fn::Not"][0])
        if "Condition" in expr:
            return self.condition(expr["Condition"])
        raise ValueError(expr)

    def __call__(self, value):
        if isinstance(value, list):
            return [v for v in (self(x) for x in value) if v is not None]
        if not isinstance(value, dict):
            return value
        if "Ref" in value:
            name = value["Ref"]
            if name == "AWS::NoValue":
                return None
            return self.values.get(name, self.physical.get(name))
        if "Fn::FindInMap" in value:
            m, a, b = value["Fn::FindInMap"]
            return self.template["Mappings"][m][a][b]
        if "Fn::If" in value:
            name, yes, no = value["Fn::If"]
            return self(yes if self.condition(name) else no)
        if "Fn::GetAtt" in value:
            name, attribute = value["Fn::GetAtt"]
            if attribute == "Arn" and self.template["Resources"][name]["Type"] == "AWS::S3::Bucket":
                return f"arn:aws:s3:::{self.physical[name]}"
            return self.attributes[f"{name}.{attribute}"]
        if "Fn::Sub" in value:
            def reference(match):
                name = match.group(1)
                if "." in name and not name.startswith("AWS::"):
                    return str(self({"Fn::GetAtt": name.split(".", 1)}))
                return str(self({"Ref": name}))
            return re.sub(r"\$\{([\w:.]+)\}", reference, value["Fn::Sub"])
        out = {k: self(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None}


def apply_ignored_properties(emulator: "Emulator", template: dict, parameters: dict, physical: dict, outputs: dict):
    """Applies IGNORED_BY_MOTO's properties from the template through the
    service APIs (what CloudFormation's handlers do)."""
    resolve = Resolver(template, parameters, physical, {"PlayerBucket.WebsiteURL": outputs.get("PlayerUrl")})
    s3, elb, rds = (emulator.client(s) for s in ("s3", "elbv2", "rds"))
    # Bucket policies first: logging checks the target bucket's.
    resources = sorted(template["Resources"].items(), key=lambda item: item[1]["Type"] != "AWS::S3::BucketPolicy")
    for logical_id, resource in resources:
        if "Condition" in resource and not resolve.condition(resource["Condition"]):
            continue
        kind, name = resource["Type"], physical.get(logical_id)
        ignored = IGNORED_BY_MOTO.get(kind, [])
        props = {k: resolve(v) for k, v in resource.get("Properties", {}).items() if k in ignored}
        if kind == "AWS::S3::Bucket":
            if "PublicAccessBlockConfiguration" in props:
                s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
            if "VersioningConfiguration" in props:
                s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
            if "OwnershipControls" in props:
                s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=props["OwnershipControls"])
            if "CorsConfiguration" in props:
                rules = [{"ID": r["Id"], "AllowedOrigins": r["AllowedOrigins"], "AllowedMethods": r["AllowedMethods"],
                          "AllowedHeaders": r["AllowedHeaders"], "ExposeHeaders": r["ExposedHeaders"],
                          "MaxAgeSeconds": r["MaxAge"]} for r in props["CorsConfiguration"]["CorsRules"]]
                s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
            if "LifecycleConfiguration" in props:
                s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={
                    "Rules": [_lifecycle_rule(r) for r in props["LifecycleConfiguration"]["Rules"]]})
            if "WebsiteConfiguration" in props:
                website = props["WebsiteConfiguration"]
                s3.put_bucket_website(Bucket=name, WebsiteConfiguration={
                    "IndexDocument": {"Suffix": website["IndexDocument"]}, "ErrorDocument": {"Key": website["ErrorDocument"]}})
            if "LoggingConfiguration" in props:
                logging = props["LoggingConfiguration"]
                s3.put_bucket_logging(Bucket=name, BucketLoggingStatus={"LoggingEnabled": {
                    "TargetBucket": logging["DestinationBucketName"], "TargetPrefix": logging["LogFilePrefix"]}})
        elif kind == "AWS::S3::BucketPolicy":
            # moto's logging check reads Principal as a mapping; "*" and
            # {"AWS": "*"} mean the same to IAM.
            document = props["PolicyDocument"]
            for statement in document["Statement"]:
                if statement.get("Principal") == "*":
                    statement["Principal"] = {"AWS": "*"}
            s3.put_bucket_policy(Bucket=props["Bucket"], Policy=json.dumps(document))
        elif kind == "AWS::ElasticLoadBalancingV2::TargetGroup":
            elb.modify_target_group_attributes(TargetGroupArn=name, Attributes=[
                {"Key": a["Key"], "Value": str(a["Value"])} for a in props["TargetGroupAttributes"]])
        elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            elb.modify_load_balancer_attributes(LoadBalancerArn=name, Attributes=[
                {"Key": a["Key"], "Value": str(a["Value"])} for a in props["LoadBalancerAttributes"]])
        elif kind == "AWS::RDS::DBInstance":
            rds.modify_db_instance(DBInstanceIdentifier=name, VpcSecurityGroupIds=props["VPCSecurityGroups"], ApplyImmediately=True)


def _lifecycle_rule(rule: dict) -> dict:
    out = {"ID": rule["Id"], "Status": rule["Status"], "Filter": {"Prefix": rule.get("Prefix", "")}}
    if "AbortIncompleteMultipartUpload" in rule:
        out["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
    expiration = {}
    if "ExpirationInDays" in rule:
        expiration["Days"] = int(rule["ExpirationInDays"])
    if "ExpiredObjectDeleteMarker" in rule:
        expiration["ExpiredObjectDeleteMarker"] = rule["ExpiredObjectDeleteMarker"]
    if expiration:
        out["Expiration"] = expiration
    if "NoncurrentVersionExpiration" in rule:
        out["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]}
    return out


def _outputs(cf, stack: str) -> dict:
    description = cf.describe_stacks(StackName=stack)["Stacks"][0]
    if description["StackStatus"] != "CREATE_COMPLETE":
        raise AssertionError(f"{stack}: {description['StackStatus']} {description.get('StackStatusReason')}")
    return {o["OutputKey"]: o["OutputValue"] for o in description.get("Outputs", [])}


def _physical(cf, stack: str) -> dict[str, str]:
    summaries = cf.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}


def bucket_problems(s3, name: str, *, website: bool = False) -> list[str]:
    """What makes a bucket public, unencrypted or unversioned."""
    problems = []
    block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    wanted = {"BlockPublicAcls": True, "IgnorePublicAcls": True}
    if not website:
        wanted |= {"BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    for key, value in wanted.items():
        if block.get(key) != value:
            problems.append(f"{name}: {key} is {block.get(key)}")
    for grant in s3.get_bucket_acl(Bucket=name)["Grants"]:
        uri = grant["Grantee"].get("URI", "")
        if uri.endswith("/AllUsers") or uri.endswith("/AuthenticatedUsers"):
            problems.append(f"{name}: ACL grants {grant['Permission']} to {uri}")
    rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
    if rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] not in ("AES256", "aws:kms"):
        problems.append(f"{name}: not encrypted")
    if s3.get_bucket_versioning(Bucket=name).get("Status") != "Enabled":
        problems.append(f"{name}: versioning off")
    return problems


def database_problems(rds, identifier: str, private_subnets: set[str]) -> list[str]:
    db = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    problems = []
    if db["PubliclyAccessible"]:
        problems.append("database publicly accessible")
    if not db["StorageEncrypted"]:
        problems.append("database storage not encrypted")
    if not db["MultiAZ"]:
        problems.append("database not Multi-AZ")
    if db["BackupRetentionPeriod"] < 1:
        problems.append("database without automated backups")
    subnets = {s["SubnetIdentifier"] for s in db["DBSubnetGroup"]["Subnets"]}
    if subnets != private_subnets:
        problems.append(f"database subnets {subnets} are not the private ones {private_subnets}")
    return problems


class Deployment(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator()
        cls.stack = "soundstream"
        cls.template = cfn.load("soundstream")
        cls.outputs = cls.emulator.deploy(cls.stack, cfn.TEMPLATES["soundstream"].read_text())
        cls.cf = cls.emulator.client("cloudformation")
        cls.ids = _physical(cls.cf, cls.stack)
        cls.artifact_ids = _physical(cls.cf, f"{cls.stack}-artifacts")

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()

    def client(self, service):
        return self.emulator.client(service)

    def test_only_the_known_resource_types_are_missing(self):
        from moto.cloudformation.parsing import get_model_map

        supported = set(get_model_map())
        used = {r["Type"] for t in ("soundstream", "artifacts") for r in cfn.load(t)["Resources"].values()}
        self.assertEqual(used - supported, MOTO_LACKS)
        # Everything else was created.
        created = set(self.ids) | set(self.artifact_ids)
        expected = {
            name for t in ("soundstream", "artifacts") for name, r in cfn.load(t)["Resources"].items()
            if r["Type"] not in MOTO_LACKS and r.get("Condition") not in ("UseCloudFront", "HasAlarmEmail")
        }
        self.assertEqual(expected - created, set())

    def test_two_zones_public_and_private(self):
        ec2 = self.client("ec2")
        subnets = ec2.describe_subnets(SubnetIds=[self.ids[n] for n in ("PublicSubnetA", "PublicSubnetB", "PrivateSubnetA", "PrivateSubnetB")])["Subnets"]
        by_id = {s["SubnetId"]: s for s in subnets}
        zones = {by_id[self.ids[n]]["AvailabilityZone"] for n in ("PrivateSubnetA", "PrivateSubnetB")}
        self.assertEqual(len(zones), 2)
        for name in ("PrivateSubnetA", "PrivateSubnetB"):
            self.assertFalse(by_id[self.ids[name]]["MapPublicIpOnLaunch"])
        nats = ec2.describe_nat_gateways()["NatGateways"]
        self.assertEqual({n["SubnetId"] for n in nats}, {self.ids["PublicSubnetA"], self.ids["PublicSubnetB"]})

    def test_the_target_group_checks_readiness_and_drains(self):
        elb = self.client("elbv2")
        group = elb.describe_target_groups(TargetGroupArns=[self.ids["ApiTargetGroup"]])["TargetGroups"][0]
        timing = self.template["Mappings"]["Timing"]["LoadBalancer"]
        self.assertEqual(group["HealthCheckPath"], "/readyz")
        self.assertEqual(group["HealthCheckProtocol"], "HTTP")
        self.assertEqual(group["Port"], 8080)
        self.assertEqual(group["HealthCheckIntervalSeconds"], timing["HealthCheckInterval"])
        self.assertEqual(group["UnhealthyThresholdCount"], timing["UnhealthyThreshold"])
        self.assertEqual(group["Matcher"]["HttpCode"], "200")
        attributes = {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=group["TargetGroupArn"])["Attributes"]}
        self.assertEqual(attributes["deregistration_delay.timeout_seconds"], str(timing["DeregistrationDelay"]))

    def test_https_with_the_certificate_and_http_redirects(self):
        elb = self.client("elbv2")
        listeners = {l["Port"]: l for l in elb.describe_listeners(LoadBalancerArn=self.ids["LoadBalancer"])["Listeners"]}
        self.assertEqual(set(listeners), {80, 443})
        https = listeners[443]
        self.assertEqual(https["Protocol"], "HTTPS")
        self.assertEqual(https["Certificates"][0]["CertificateArn"], self.outputs["certificate"])
        self.assertTrue(https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13"))
        self.assertEqual(https["DefaultActions"][0]["Type"], "forward")
        redirect = listeners[80]["DefaultActions"][0]
        self.assertEqual(redirect["Type"], "redirect")
        self.assertEqual(redirect["RedirectConfig"]["Protocol"], "HTTPS")
        self.assertEqual(redirect["RedirectConfig"]["StatusCode"], "HTTP_301")
        attributes = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=self.ids["LoadBalancer"])["Attributes"]}
        self.assertEqual(attributes["routing.http.drop_invalid_header_fields.enabled"], "true")
        self.assertEqual(attributes["idle_timeout.timeout_seconds"], str(self.template["Mappings"]["Timing"]["LoadBalancer"]["IdleTimeout"]))

    def test_buckets_are_private_encrypted_and_versioned(self):
        s3 = self.client("s3")
        problems = []
        for bucket in (self.ids["MediaBucket"], self.ids["AccessLogsBucket"], self.artifact_ids["ArtifactsBucket"]):
            problems += bucket_problems(s3, bucket)
        # The website bucket: ACLs blocked, public reads only through its
        # policy (PlayerCdn=website), encrypted, versioned.
        problems += bucket_problems(s3, self.ids["PlayerBucket"], website=True)
        self.assertEqual(problems, [])

    def test_the_media_bucket_serves_the_player_and_keeps_uploads_tidy(self):
        s3 = self.client("s3")
        media = self.ids["MediaBucket"]
        cors = s3.get_bucket_cors(Bucket=media)["CORSRules"][0]
        self.assertEqual(cors["AllowedOrigins"], [self.outputs["main"]["PlayerUrl"]])
        self.assertEqual(sorted(cors["AllowedMethods"]), ["GET", "HEAD", "PUT"])
        rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=media)["Rules"]}
        self.assertEqual(rules["abort-incomplete-multipart"]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"], 1)
        self.assertEqual(rules["expire-deleted-objects"]["NoncurrentVersionExpiration"]["NoncurrentDays"], 35)
        website = s3.get_bucket_website(Bucket=self.ids["PlayerBucket"])
        self.assertEqual(website["IndexDocument"]["Suffix"], "index.html")

    def test_the_database_is_private_encrypted_multi_az_with_backups(self):
        rds = self.client("rds")
        private = {self.ids["PrivateSubnetA"], self.ids["PrivateSubnetB"]}
        self.assertEqual(database_problems(rds, self.ids["Database"], private), [])
        db = rds.describe_db_instances(DBInstanceIdentifier=self.ids["Database"])["DBInstances"][0]
        self.assertEqual(db["Engine"], "postgres")
        self.assertEqual(db["BackupRetentionPeriod"], 7)
        self.assertEqual([g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]], [self.ids["DatabaseSecurityGroup"]])

    def test_only_the_api_reaches_the_database_and_only_the_load_balancer_the_api(self):
        ec2 = self.client("ec2")
        groups = {g["GroupId"]: g for g in ec2.describe_security_groups(GroupIds=[
            self.ids["DatabaseSecurityGroup"], self.ids["InstanceSecurityGroup"]])["SecurityGroups"]}

        def sources(group_id):
            return [(p["FromPort"], [pair["GroupId"] for pair in p["UserIdGroupPairs"]], p["IpRanges"])
                    for p in groups[group_id]["IpPermissions"]]

        self.assertEqual(sources(self.ids["DatabaseSecurityGroup"]), [(5432, [self.ids["InstanceSecurityGroup"]], [])])
        self.assertEqual(sources(self.ids["InstanceSecurityGroup"]), [(8080, [self.ids["LoadBalancerSecurityGroup"]], [])])

    def test_the_group_spans_both_zones_behind_the_load_balancer(self):
        group = self.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[self.ids["ApiGroup"]])["AutoScalingGroups"][0]
        self.assertEqual(group["MinSize"], 2)
        self.assertEqual(len(set(group["AvailabilityZones"])), 2)
        self.assertEqual(set(group["VPCZoneIdentifier"].split(",")), {self.ids["PrivateSubnetA"], self.ids["PrivateSubnetB"]})
        self.assertEqual(group["HealthCheckType"], "ELB")
        self.assertEqual(group["TargetGroupARNs"], [self.ids["ApiTargetGroup"]])
        self.assertEqual(len(group["Instances"]), 2)

    def test_the_launch_template_boots_the_release_hardened(self):
        ec2 = self.client("ec2")
        version = ec2.describe_launch_template_versions(LaunchTemplateId=self.ids["LaunchTemplate"])["LaunchTemplateVersions"][0]
        data = version["LaunchTemplateData"]
        self.assertEqual(data["MetadataOptions"]["HttpTokens"], "required")
        self.assertTrue(data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"])
        user_data = base64.b64decode(data["UserData"]).decode()
        artifacts = self.artifact_ids["ArtifactsBucket"]
        self.assertIn(f"--name /soundstream/{self.stack}/release", user_data)
        self.assertIn(f's3://{artifacts}/$key', user_data)
        self.assertIn("sha256sum --check --strict", user_data)
        self.assertIn("ExecStartPre=+/usr/local/sbin/soundstream-config", user_data)
        self.assertIn("TimeoutStopSec=60", user_data)
        self.assertIn(f"/soundstream/{self.stack}/api", user_data)

    def test_the_configuration_parameter_points_at_this_stack(self):
        value = self.client("ssm").get_parameter(Name=f"/soundstream/{self.stack}/config")["Parameter"]["Value"]
        env = dict(line.split("=", 1) for line in value.strip().splitlines())
        self.assertEqual(env["SOUNDSTREAM_S3_BUCKET"], self.ids["MediaBucket"])
        self.assertEqual(env["SOUNDSTREAM_PUBLIC_URL"], f"https://{API_DOMAIN}")
        self.assertEqual(env["SOUNDSTREAM_CORS_ORIGINS"], self.outputs["main"]["PlayerUrl"])
        self.assertEqual(env["SOUNDSTREAM_TRUSTED_PROXIES"], "10.40.0.0/24,10.40.1.0/24")
        self.assertEqual(env["SOUNDSTREAM_SHUTDOWN_DRAIN_SECONDS"], "15")
        self.assertEqual(env["AWS_REGION"], REGION)

    def test_the_instance_role_as_deployed(self):
        iam = self.client("iam")
        role = self.ids["InstanceRole"]
        names = iam.list_role_policies(RoleName=role)["PolicyNames"]
        self.assertEqual(names, ["soundstream-api"])
        document = iam.get_role_policy(RoleName=role, PolicyName="soundstream-api")["PolicyDocument"]
        if isinstance(document, str):
            # moto keeps what its CloudFormation got as Python text.
            document = ast.literal_eval(document)
        actions = set()
        for statement in document["Statement"]:
            self.assertEqual(statement["Effect"], "Allow")
            self.assertEqual(test_templates.wildcard_action_problems(statement), [])
            actions.update(cfn.as_list(statement["Action"]))
            for resource in cfn.as_list(statement["Resource"]):
                if resource is None:
                    # A reference to a type moto lacks (the secrets).
                    self.assertEqual(statement["Sid"], "Secrets")
                elif resource == "*":
                    self.assertTrue(set(cfn.as_list(statement["Action"])) <= set(test_templates.NO_RESOURCE_LEVEL))
                else:
                    self.assertTrue(resource.startswith("arn:aws:"), resource)
        self.assertEqual(actions, set(test_templates.INSTANCE_ACTIONS))
        media = next(s for s in document["Statement"] if s.get("Sid") == "MediaObjects")
        self.assertEqual(sorted(media["Resource"]), [f"arn:aws:s3:::{self.ids['MediaBucket']}/{p}/*" for p in ("audio", "face", "image")])
        self.assertEqual(len(iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"]), 1)

    def test_logs_are_kept(self):
        groups = self.client("logs").describe_log_groups(logGroupNamePrefix=f"/soundstream/{self.stack}/")["logGroups"]
        self.assertEqual([(g["logGroupName"], g["retentionInDays"]) for g in groups], [(f"/soundstream/{self.stack}/api", 365)])


class PlantedFaults(unittest.TestCase):
    """The emulator checks catch a public bucket and a public database (both
    planted in one copy of the template, deployed as a second stack)."""

    def test_public_bucket_and_public_database_are_caught(self):
        emulator = Emulator()
        try:
            template = cfn.load("soundstream")
            media = template["Resources"]["MediaBucket"]["Properties"]
            media["PublicAccessBlockConfiguration"] = {k: False for k in media["PublicAccessBlockConfiguration"]}
            template["Resources"]["Database"]["Properties"]["PubliclyAccessible"] = True
            template["Resources"]["Database"]["Properties"]["StorageEncrypted"] = False
            emulator.deploy("faulty", _dump(template))
            cf = emulator.client("cloudformation")
            ids = _physical(cf, "faulty")
            problems = bucket_problems(emulator.client("s3"), ids["MediaBucket"])
            self.assertIn(f"{ids['MediaBucket']}: BlockPublicPolicy is False", problems)
            problems = database_problems(emulator.client("rds"), ids["Database"], {ids["PrivateSubnetA"], ids["PrivateSubnetB"]})
            self.assertEqual(problems, ["database publicly accessible", "database storage not encrypted"])
        finally:
            emulator.stop()


if __name__ == "__main__":
    unittest.main()
