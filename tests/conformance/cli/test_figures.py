"""The figures line that ends a run: what it afforded, and on a default run the goal."""

from ec2_conformance.cli._run import figures_line


def _action(name, examples=51, valid=25, successes=25, requests=60, suite="stateless",
            not_implemented=False):
    return {"action": name, "suite": suite, "examples": examples, "valid_examples": valid,
            "successes": successes, "requests": requests, "not_implemented": not_implemented}


def test_the_fewest_examples_valid_and_successes_of_an_implemented_action():
    document = {"actions": [_action("CreateVpc", examples=60, successes=20),
                            _action("DescribeVpcs", examples=51, valid=26, successes=12),
                            _action("CreateVpnGateway", 2, 2, 0, not_implemented=True),
                            _action("compute", 900, 0, 0, requests=3000, suite="stateful")]}
    line = figures_line(document, 250.0, default_run=False)
    assert line == ("figures: 3,180 requests in 4 min 10 s; per implemented action (2): at "
                    "least 51 examples, 25 valid, 12 reaching success (median 20)")


def test_a_default_run_says_whether_the_goal_was_met_and_what_fell_short():
    met = figures_line({"actions": [_action("CreateVpc"), _action("DescribeVpcs")]}, 299.0)
    assert met.splitlines()[1].endswith(": met")
    assert "at most 5 min" in met and "25 examples, 10 valid reaching success" in met
    document = {"actions": [_action("CreateVpc"), _action("DescribeInstances", successes=9),
                            _action("DescribeImages", examples=20, valid=10, successes=10)]}
    goal = figures_line(document, 341.0).splitlines()[1]
    assert goal.endswith("not met: 5 min 41 s is over 5 min; 2 actions short: DescribeInstances "
                         "9 of 25 valid succeeded, DescribeImages 20 examples")
