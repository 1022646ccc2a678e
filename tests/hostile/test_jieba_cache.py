"""jieba's dictionary cache is private: never written to, nor loaded from, the shared temporary folder.

jieba unmarshals ``<tempdir>/jieba.cache`` if it exists, so anyone who can write the temporary
folder would choose the tokenizer's dictionary (and marshal is not safe against crafted input).
Each test runs a fresh interpreter with its own TMPDIR and XDG_CACHE_HOME.
"""

from __future__ import annotations

import json
import marshal
import os
import stat
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, tempfile
from lawreports.tokens import TokenizerOptions, tokenize, _jieba_cache_dir
tokens = tokenize("市场监管部门开展食品安全检查，律师参与信访接待，深化放管服改革",
                  TokenizerOptions(backend="jieba", cache=False))
print(json.dumps({"tokens": tokens, "tempdir": tempfile.gettempdir(), "cache": _jieba_cache_dir()}))
"""


def _run(tmp_path: Path) -> dict:
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    (tmp_path / "tmp").mkdir(exist_ok=True)
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_jieba_cache_goes_to_a_private_folder_not_the_temporary_one(tmp_path):
    res = _run(tmp_path)
    assert res["tempdir"] == str(tmp_path / "tmp")
    assert not [p.name for p in (tmp_path / "tmp").iterdir()], "jieba wrote into the temporary folder"
    folder = Path(res["cache"])
    assert folder == tmp_path / "cache" / "lawreports" / "jieba"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir() if p.name.endswith(".cache")], "no cache written"
    assert "放管服" in res["tokens"]
    again = _run(tmp_path)                       # the second run loads the private cache
    assert again["tokens"] == res["tokens"]
    assert not list((tmp_path / "tmp").iterdir())


def test_a_cache_planted_in_the_temporary_folder_is_never_loaded(tmp_path):
    (tmp_path / "tmp").mkdir()
    planted = ({"全面": 1, "推": 1}, 2)            # a dictionary that would break every word
    for name in ("jieba.cache",):
        (tmp_path / "tmp" / name).write_bytes(marshal.dumps(planted))
    res = _run(tmp_path)
    # with the planted dictionary jieba cuts 监管部门 and drops 参与 (checked by hand)
    assert {"监管部门", "参与", "放管服"} <= set(res["tokens"]), res["tokens"]


def test_a_cache_folder_others_may_write_is_made_private(tmp_path):
    folder = tmp_path / "cache" / "lawreports" / "jieba"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    res = _run(tmp_path)
    assert Path(res["cache"]) == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert json.dumps(res["tokens"])
