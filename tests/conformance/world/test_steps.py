"""The one step runner: placeholders, repeats and captures, as the world's plan, the
machines' scenarios and the fault probes use them."""

from __future__ import annotations

import pytest

from ec2_conformance.world import StepError, StepRunner, placeholders


def test_fill_replaces_values_keeps_types_and_expands_repeats():
    runner = StepRunner({"vpc": "vpc-1", "image": None})
    assert runner.fill({"VpcId": "{vpc}", "Ids": ["{vpc}"], "Size": 2}) == {
        "VpcId": "vpc-1", "Ids": ["vpc-1"], "Size": 2}
    assert runner.fill("{image}") is None  # a whole placeholder keeps the value's type
    assert runner.fill("in {vpc}/x") == "in vpc-1/x"
    assert runner.fill({"$repeat": 2, "item": {"CidrIp": "192.0.2.{i}/32", "Of": "{vpc}"}}) == [
        {"CidrIp": "192.0.2.1/32", "Of": "vpc-1"}, {"CidrIp": "192.0.2.2/32", "Of": "vpc-1"}]
    assert "i" not in runner.values  # a repeat's index stays inside the repeat
    with pytest.raises(StepError, match="'subnet'"):
        runner.fill("{subnet}")


def test_computed_values_and_dotted_names_come_from_the_caller():
    asked = []

    def compute(name):
        asked.append(name)
        if name == "unique":
            return f"n{len(asked)}"
        raise LookupError(name)

    runner = StepRunner({"req.VpcId": "vpc-9"}, compute=compute)
    assert runner.fill("{unique}-{unique}") == "n1-n2"  # computed afresh each time
    assert runner.fill("{req.VpcId}") == "vpc-9"
    with pytest.raises(LookupError, match="world.vpc"):
        runner.fill("{world.vpc}")


def test_wire_pairs_repeat_a_name_holding_i():
    runner = StepRunner({"group": "sg-1"})
    assert runner.pairs({"GroupId": "{group}", "Ip.{i}.Cidr": "10.{i}.0.0/16"}, repeat=2) == [
        ("GroupId", "sg-1"), ("Ip.1.Cidr", "10.1.0.0/16"), ("Ip.2.Cidr", "10.2.0.0/16")]
    assert runner.pairs({"Ip.{i}.Cidr": "x"}) == [("Ip.1.Cidr", "x")]


def test_run_captures_for_later_steps_and_reports_what_an_answer_lacked():
    answers = {"CreateVpc": {"vpcId": "vpc-7"}, "CreateSubnet": {}}
    runner = StepRunner()
    sent = []

    def send(step):
        sent.append((step["action"], runner.fill(step.get("params", {}))))
        return answers[step["action"]]

    steps = [{"action": "CreateVpc", "capture": {"vpc": "vpcId"}},
             {"action": "CreateSubnet", "params": {"VpcId": "{vpc}"},
              "capture": {"subnet": "subnetId"}}]
    results = list(runner.run(steps, send, lambda answer, path: answer.get(path)))
    assert sent == [("CreateVpc", {}), ("CreateSubnet", {"VpcId": "vpc-7"})]
    assert [(r.number, r.missing) for r in results] == [(1, None), (2, "subnetId")]
    assert runner.values == {"vpc": "vpc-7"}


def test_placeholders_lists_every_name():
    assert placeholders([{"a": "{x}", "b": ["{y}-{z.w}"]}, "{}", 3]) == {"x", "y", "z.w"}
