import json

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.catalog.profiles import (DEFAULT_PROFILE, UnknownProfile, available_profiles,
                                              load_profile)


def test_default_profile_is_the_spec():
    profile = load_profile()
    assert profile.name == DEFAULT_PROFILE == "aws-2014-10-01"
    assert profile.implements("MonitorInstances")
    assert profile.widen({"InvalidVpcRange"}) == {"InvalidVpcRange"}


def test_moto_profile_is_measured_data():
    profile = load_profile("moto")
    actions = load_catalog().actions
    assert {"aws-2014-10-01", "moto"} <= set(available_profiles())
    assert not profile.implements("MonitorInstances") and profile.implements("CreateVpc")
    for name, evidence in profile.not_implemented.items():
        assert name in actions and (evidence["source"] or evidence["behaviour"])
    assert "how" in profile.measured and profile.measured["moto_version"]
    assert "InvalidVpc.Range" in profile.widen({"InvalidVpcRange", "MissingParameter"})


def test_profiles_load_from_a_path_and_fail_clearly(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"name": "mine", "not_implemented": {"CreateVpc": {}}}))
    assert not load_profile(str(path)).implements("CreateVpc")
    with pytest.raises(UnknownProfile, match="choose from"):
        load_profile("nonsense")
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(UnknownProfile):
        load_profile(str(tmp_path / "bad.json"))
