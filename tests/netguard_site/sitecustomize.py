"""Loaded automatically by every subprocess the tests start (via PYTHONPATH): no network."""

import os
import sys

sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import _netguard  # noqa: E402

_netguard.install()
