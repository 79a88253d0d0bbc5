"""golden.py: answers recorded once into a JSON file and compared with
what the server answers now (test_qq_bytes.py, test_endpoint_answers.py).
"""

import json


def assert_same(path, got):
    """Every recorded answer (a dict by name) is the one in got."""
    golden = json.loads(path.read_text())
    assert sorted(got) == sorted(golden)
    for name in golden:
        assert got[name] == golden[name], name


def record_to(path, record):
    """Start a harness server, record(server) the answers, write them."""
    import harness
    s = harness.Server().start()
    try:
        answers = record(s)
    finally:
        s.shutdown()
    path.write_text(json.dumps(answers, ensure_ascii=False, indent=1,
                               sort_keys=True) + "\n")
    print("wrote", path)
