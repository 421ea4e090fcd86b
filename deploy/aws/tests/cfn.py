"""Reading CloudFormation templates for the tests: YAML with the short
intrinsic tags (!Ref, !Sub, !GetAtt…) turned into their long forms, and
the IAM policy documents a template holds, with every Fn::If branch."""

from __future__ import annotations

import copy
import functools
import pathlib

import yaml

HERE = pathlib.Path(__file__).resolve().parent
AWS_DIR = HERE.parent
TEMPLATES = {
    "artifacts": AWS_DIR / "artifacts.yaml",
    "soundstream": AWS_DIR / "soundstream.yaml",
}


class _Loader(yaml.SafeLoader):
    pass


def _intrinsic(loader: yaml.Loader, suffix: str, node: yaml.Node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            # CloudFormation splits the short form at the first dot.
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_Loader.add_multi_constructor("!", _intrinsic)


def load_text(text: str) -> dict:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)


@functools.lru_cache(maxsize=None)
def _load_once(name: str) -> dict:
    return load_text(TEMPLATES[name].read_text())


def load(name: str) -> dict:
    """A fresh copy (tests plant faults in theirs)."""
    return copy.deepcopy(_load_once(name))


NO_VALUE = {"Ref": "AWS::NoValue"}


def branches(value):
    """Every value `value` can take, Fn::If expanded both ways (AWS::NoValue dropped)."""
    if isinstance(value, dict) and set(value) == {"Fn::If"}:
        _, yes, no = value["Fn::If"]
        for branch in (yes, no):
            if branch != NO_VALUE:
                yield from branches(branch)
        return
    yield value


def statement_lists(document):
    """The statements of a policy document, once per Fn::If combination."""
    for doc in branches(document):
        for statements in branches(doc.get("Statement", [])):
            if isinstance(statements, dict):
                statements = [statements]
            out = []
            for statement in statements:
                out.extend(branches(statement))
            yield out


def policy_documents(template: dict):
    """(resource logical id, label, policy document) for every permission
    policy in the template (trust policies are reported apart)."""
    for logical_id, resource in template.get("Resources", {}).items():
        kind = resource["Type"]
        props = resource.get("Properties", {})
        if kind == "AWS::IAM::Role":
            for policy in props.get("Policies", []):
                for p in branches(policy):
                    yield logical_id, f"{logical_id}/{p['PolicyName']}", p["PolicyDocument"]
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::BucketPolicy",
                      "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy"):
            yield logical_id, logical_id, props["PolicyDocument"]
        elif kind == "AWS::KMS::Key":
            yield logical_id, logical_id, props["KeyPolicy"]
        elif kind == "AWS::SecretsManager::ResourcePolicy":
            yield logical_id, logical_id, props["ResourcePolicy"]


def trust_policies(template: dict):
    for logical_id, resource in template.get("Resources", {}).items():
        if resource["Type"] == "AWS::IAM::Role":
            yield logical_id, resource["Properties"]["AssumeRolePolicyDocument"]


def as_list(value):
    return value if isinstance(value, list) else [value]


def render(value) -> str:
    """A resource or principal as text: references as ${Name}, so wildcards
    and what they are scoped to can be read."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "Ref" in value:
            return "${%s}" % value["Ref"]
        if "Fn::GetAtt" in value:
            return "${%s}" % ".".join(value["Fn::GetAtt"])
        if "Fn::Sub" in value:
            sub = value["Fn::Sub"]
            return sub if isinstance(sub, str) else sub[0]
        if "Fn::Join" in value:
            sep, parts = value["Fn::Join"]
            return sep.join(render(p) for p in parts)
        if "Fn::ImportValue" in value:
            return "${Import:%s}" % render(value["Fn::ImportValue"])
    raise ValueError(f"cannot read {value!r}")
