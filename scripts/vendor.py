#!/usr/bin/env python3
"""Copy the built front-end files from node_modules into the app's static folder.

The files come from the npm registry through package.json / package-lock.json and
are served by Hotline itself (never a CDN); they are not committed.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "hotline" / "web" / "static" / "vendor"
FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "twilio.min.js": "@twilio/voice-sdk/dist/twilio.min.js",
}


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    missing = []
    for name, relative in FILES.items():
        source = ROOT / "node_modules" / relative
        if not source.exists():
            missing.append(relative)
            continue
        shutil.copyfile(source, TARGET / name)
    if missing:
        print("缺少前端文件 / missing front-end files (run npm ci): " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
