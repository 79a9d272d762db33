"""The domain knows nothing of the broker, the database or HTTP."""

import subprocess
import sys

FORBIDDEN = ("pika", "sqlalchemy", "fastapi", "starlette", "uvicorn", "boto3", "alembic")


def test_domain_imports_no_adapter():
    code = (
        "import sys, importlib, pkgutil, zhibiao.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__):\n"
        "    importlib.import_module('zhibiao.domain.' + m.name)\n"
        f"print(','.join(n for n in {FORBIDDEN!r} if n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"domain modules pulled in {out}"
