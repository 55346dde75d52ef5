"""The IR built on demand answers as the IR built in full, whatever is asked first."""

import random
import threading

import pytest

from ec2_conformance import schemas
from ec2_conformance.schemas._ir import BOOLEAN

VERSIONS = ["2014-10-01", "2016-11-15"]


def _fresh(api_version):
    return schemas.build_ir_on_demand.__wrapped__(api_version)  # not the process's shared one


def _reached(ir, action):
    """Every type name the response type of ``action`` reaches, in walk order."""
    seen, todo = [], [ir.responses[action]]
    while todo:
        name = todo.pop()
        if name in seen or name.startswith("xs:") or name == BOOLEAN:
            continue
        seen.append(name)
        found = ir.type(name)
        todo += [m.type for m in found.members] + ([found.item_type] if found.item_type else [])
    return seen


@pytest.mark.parametrize("api_version", VERSIONS)
def test_every_response_and_type_it_reaches_is_the_full_builds(api_version):
    full, lazy = schemas.build_ir(api_version), _fresh(api_version)
    actions = sorted(full.responses)
    random.Random(api_version).shuffle(actions)  # the order a run's actions come in varies
    for action in actions[: len(actions) // 2]:  # half asked first by a type name
        assert lazy.type(full.responses[action]) == full.response_type(action), action
    for action in actions:
        assert lazy.response_type(action) == full.response_type(action), action
        for name in _reached(full, action):
            assert lazy.type(name) == full.type(name), (action, name)
    assert lazy.response_type("NoSuchAction") is None and lazy.type("xs:string") is None
    assert lazy.type("NoSuchType") is None and lazy.type("NoSuchType") is None


def test_threads_asking_at_once_see_only_whole_types():
    full, lazy = schemas.build_ir("2016-11-15"), _fresh("2016-11-15")
    actions = sorted(full.responses)
    wrong = []

    def ask(seed):
        order = actions[:]
        random.Random(seed).shuffle(order)
        for action in order[:200]:
            for name in _reached(full, action):
                if lazy.type(name) != full.type(name):
                    wrong.append((action, name))

    threads = [threading.Thread(target=ask, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
