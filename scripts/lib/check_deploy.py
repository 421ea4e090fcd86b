"""Checks of the deployment files that no linter makes: the properties that
matter for running SoundStream, read from the files themselves.
scripts/check-deploy runs it with the deployment tools' venv (PyYAML,
dockerfile-parse).

  check_deploy.py files                  Dockerfiles, compose, Kubernetes
  check_deploy.py metrics SCRAPE OUT     every metric named by the alert rules
                                         and the dashboard is in SCRAPE (a real
                                         /metrics answer); writes the
                                         dashboard's queries to OUT as
                                         recording rules for promtool to parse
Prints one line per check; exits 1 on the first file with failures.
"""

import json
import re
import sys
from pathlib import Path

import yaml
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
FAILURES = []


def check(condition, what):
    print(f"  {'ok  ' if condition else 'FAIL'} {what}")
    if not condition:
        FAILURES.append(what)


def stages(path):
    """Instructions of each stage of a Dockerfile, ARGs before the first FROM
    resolved to their defaults."""
    parser = DockerfileParser(fileobj=path.open("rb"))
    args, result = {}, []
    for instruction in parser.structure:
        kind, value = instruction["instruction"], instruction["value"]
        if kind == "ARG" and not result:
            name, _, default = value.partition("=")
            args[name] = default
        elif kind == "FROM":
            image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), ""), value.split()[0])
            result.append({"from": image, "name": value.split()[-1] if " AS " in value.upper() else None, "body": []})
        elif result:
            result[-1]["body"].append((kind, value))
    return result


def runtime_checks(label, stage):
    body = stage["body"]
    users = [v for k, v in body if k == "USER"]
    envs = " ".join(v for k, v in body if k == "ENV")
    health = " ".join(v for k, v in body if k == "HEALTHCHECK")
    check(users and users[-1].split(":")[0] not in ("0", "root"), f"{label}: runs as a non-root USER ({users[-1] if users else 'none'})")
    check("/healthz" in health, f"{label}: HEALTHCHECK probes /healthz")
    check("SOUNDSTREAM_BIND=0.0.0.0:8080" in envs, f"{label}: SOUNDSTREAM_BIND=0.0.0.0:8080")
    check(any(k == "VOLUME" and "/var/lib/soundstream" in v for k, v in body), f"{label}: the data dir is a VOLUME")
    check("SOUNDSTREAM_DATA_DIR=/var/lib/soundstream" in envs, f"{label}: SOUNDSTREAM_DATA_DIR is the volume")
    check(any(k == "EXPOSE" and v.strip() == "8080" for k, v in body), f"{label}: EXPOSE 8080")
    check(any("ffmpeg" in v for k, v in body if k == "RUN"), f"{label}: installs ffmpeg (renditions and loudness jobs)")


def dockerfiles():
    print("deploy/Dockerfile, deploy/Dockerfile.prebuilt")
    full, prebuilt = stages(DEPLOY / "Dockerfile"), stages(DEPLOY / "Dockerfile.prebuilt")
    check(len(full) >= 2, "Dockerfile: multi-stage")
    for name, file_stages in (("Dockerfile", full), ("Dockerfile.prebuilt", prebuilt)):
        for stage in file_stages:
            image = stage["from"]
            tagged = ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest")
            check(tagged, f"{name}: FROM {image} names a tag that is not latest")
    builder_cmds = " ".join(v for k, v in full[0]["body"] if k == "RUN")
    check("cargo build --release" in builder_cmds and "--locked" in builder_cmds, "Dockerfile: the builder builds the release API, --locked")
    check("build_frontend" in builder_cmds, "Dockerfile: the builder builds the player (scripts/lib/frontend.sh, trunk)")
    runtime_checks("Dockerfile runtime", full[-1])
    runtime_checks("Dockerfile.prebuilt", prebuilt[-1])
    # The prebuilt variant is the same runtime stage, copying from the context.
    same = [(k, v.replace("--from=builder /out/", "")) for k, v in full[-1]["body"]]
    check(same == prebuilt[-1]["body"], "Dockerfile.prebuilt's stage is Dockerfile's runtime stage, COPY sources aside")


def compose():
    print("deploy/compose.yaml")
    spec = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = spec["services"]
    apis = [name for name, s in services.items() if s.get("command") != ["migrate"] and "SOUNDSTREAM_ENV" in (s.get("environment") or {})]
    check(len(apis) >= 2, f"two API instances or more ({', '.join(apis)})")
    for name in apis:
        env = services[name]["environment"]
        check(env.get("DATABASE_URL", "").startswith("postgres://"), f"{name}: on PostgreSQL")
        check(env.get("SOUNDSTREAM_STORAGE") == "s3", f"{name}: on S3 storage")
        check(env.get("SOUNDSTREAM_ENV") == "production" and "SOUNDSTREAM_JWT_SECRET" in env, f"{name}: production, one shared JWT secret")
        check(services[name].get("read_only") is True, f"{name}: read-only root filesystem")
        deps = services[name].get("depends_on", {})
        check(deps.get("migrate", {}).get("condition") == "service_completed_successfully", f"{name}: starts after the migration")
        check("ports" not in services[name], f"{name}: publishes no port (only the balancer does)")
    check(services.get("migrate", {}).get("command") == ["migrate"], "a one-shot migrate service")
    check("postgres" in services and "healthcheck" in services["postgres"], "PostgreSQL with a health check")
    check("s3" in services and "s3-init" in services, "an S3 store and its bucket creation")
    lb_volumes = " ".join(services["lb"].get("volumes", []))
    check("haproxy.cfg" in lb_volumes, "the balancer mounts deploy/haproxy.cfg")
    cfg = (DEPLOY / "haproxy.cfg").read_text()
    check(re.search(r"http-check send meth GET uri /readyz", cfg) is not None, "haproxy.cfg checks /readyz")
    for name in apis:
        check(re.search(rf"server \S+ {re.escape(name)}:8080 check", cfg) is not None, f"haproxy.cfg sends to {name}")
    check(all(not str(s.get("image", "")).endswith(":latest") for s in services.values()), "no image uses the latest tag")


def kubernetes():
    print("deploy/kubernetes")
    kdir = DEPLOY / "kubernetes"
    kustomization = yaml.safe_load((kdir / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in kdir.glob("*.yaml") if p.name != "kustomization.yaml"}
    check(listed == on_disk, f"kustomization.yaml lists every manifest ({sorted(on_disk ^ listed) or 'all'})")
    docs = {}
    for path in sorted(kdir.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") != "Kustomization":
                docs[(doc["kind"], doc["metadata"]["name"])] = doc
    kinds = {kind for kind, _ in docs}
    for kind in ("Deployment", "Service", "Ingress", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Job"):
        check(kind in kinds, f"a {kind}")
    config = docs[("ConfigMap", "soundstream")]["data"]
    drain = int(config["SOUNDSTREAM_SHUTDOWN_DRAIN_SECONDS"])
    images = {i["name"]: i for i in kustomization.get("images", [])}

    def pod_checks(label, pod, long_running):
        check(pod.get("securityContext", {}).get("runAsNonRoot") is True, f"{label}: runAsNonRoot")
        for container in pod["containers"]:
            name = f"{label}/{container['name']}"
            image = container["image"]
            override = images.get(image.split(":")[0], {})
            tag = override.get("newTag") or (image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else "")
            check(tag not in ("", "latest"), f"{name}: image tag {tag or '(none)'} is pinned, not latest")
            security = container.get("securityContext", {})
            check(security.get("readOnlyRootFilesystem") is True, f"{name}: readOnlyRootFilesystem")
            check(security.get("allowPrivilegeEscalation") is False, f"{name}: no privilege escalation")
            resources = container.get("resources", {})
            check({"cpu", "memory"} <= set(resources.get("requests", {})) and {"cpu", "memory"} <= set(resources.get("limits", {})),
                  f"{name}: cpu and memory requests and limits")
            secret_refs = [e for e in container.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})]
            check(any(e["name"] == "DATABASE_URL" for e in secret_refs), f"{name}: DATABASE_URL from a Secret")
            check(not any("value" in e and re.search("SECRET|PASSWORD|TOKEN", e["name"]) for e in container.get("env", [])),
                  f"{name}: no secret value in the manifest")
            if long_running:
                readiness = container["readinessProbe"]["httpGet"]["path"]
                liveness = container["livenessProbe"]["httpGet"]["path"]
                check(readiness == "/readyz", f"{name}: readiness probe on /readyz ({readiness})")
                check(liveness == "/healthz", f"{name}: liveness probe on /healthz ({liveness})")
                pre_stop = container["lifecycle"]["preStop"]
                delay = pre_stop.get("sleep", {}).get("seconds", 0)
                grace = pod["terminationGracePeriodSeconds"]
                check(delay > 0, f"{name}: a preStop delay ({delay} s)")
                check(grace > delay + drain + 10, f"{name}: grace period {grace} s > preStop {delay} s + drain {drain} s + 10 s of requests")

    deployment = docs[("Deployment", "soundstream")]
    pod_checks("Deployment", deployment["spec"]["template"]["spec"], True)
    check(deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0, "Deployment: rolling updates keep every pod until its successor is ready")
    job = docs[("Job", "soundstream-migrate")]
    pod_checks("Job", job["spec"]["template"]["spec"], False)
    check(job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"], "Job: runs `soundstream migrate`")
    hpa = docs[("HorizontalPodAutoscaler", "soundstream")]
    check(hpa["apiVersion"] == "autoscaling/v2" and hpa["spec"]["minReplicas"] >= 2, "HPA: autoscaling/v2, at least 2 replicas")
    check("replicas" not in deployment["spec"], "Deployment: leaves replicas to the HPA")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    for kind in ("Service", "PodDisruptionBudget"):
        selector = docs[(kind, "soundstream")]["spec"]["selector"]
        selector = selector.get("matchLabels", selector)
        check(selector.items() <= labels.items(), f"{kind} selects the Deployment's pods")


# Prometheus's own series that the rules may name besides the API's.
PROMETHEUS_SERIES = {"up"}


def metric_names(expr):
    return set(re.findall(r"\b(soundstream_[a-z0-9_]+)", expr)) | {n for n in PROMETHEUS_SERIES if re.search(rf"\b{n}\{{", expr)}


def metrics(scrape_path, out_path):
    print("metric names in deploy/monitoring against a real /metrics scrape")
    exported = set()
    for line in Path(scrape_path).read_text().splitlines():
        match = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{| )", line)
        if match and not line.startswith("#"):
            exported.add(match.group(1))
    check(len(exported) > 0, f"the scrape has series ({len(exported)} names)")
    rules = yaml.safe_load((DEPLOY / "monitoring" / "alerts.yaml").read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            names = metric_names(rule["expr"])
            unknown = sorted(n for n in names - PROMETHEUS_SERIES if n not in exported)
            check(names and not unknown, f"alert {rule['alert']}: {', '.join(sorted(names))}" + (f" (not exported: {', '.join(unknown)})" if unknown else ""))
    dashboard = json.loads((DEPLOY / "monitoring" / "grafana-dashboard.json").read_text())
    recording = []
    for panel in dashboard["panels"]:
        exprs = [t["expr"] for t in panel.get("targets", [])]
        check(bool(exprs), f"panel '{panel['title']}' has queries")
        for expr in exprs:
            names = metric_names(expr)
            unknown = sorted(n for n in names - PROMETHEUS_SERIES if n not in exported)
            check(names and not unknown, f"panel '{panel['title']}': {', '.join(sorted(names))}" + (f" (not exported: {', '.join(unknown)})" if unknown else ""))
            concrete = expr.replace("$__rate_interval", "5m").replace("$instance", ".*")
            recording.append({"record": f"dashboard:panel{panel['id']}:{len(recording)}", "expr": concrete})
    Path(out_path).write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": recording}]}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "files":
        dockerfiles()
        compose()
        kubernetes()
    elif command == "metrics":
        metrics(*args)
    else:
        sys.exit(f"unknown command {command}")
    if FAILURES:
        print(f"{len(FAILURES)} deployment check(s) failed")
        sys.exit(1)
