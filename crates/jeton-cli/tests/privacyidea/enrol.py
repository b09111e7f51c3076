#!/usr/bin/env python3
"""A real privacyIDEA server, in-process, as an oracle for Jeton's codes.

Uses privacyIDEA's own library API (no HTTP server) on a SQLite database in a state
folder, so that separate invocations share tokens:

    enrol.py [--state DIR] init --type totp|hotp [--hashlib sha1|sha256|sha512] [--digits 6|8]
        -> {"serial": "...", "uri": "otpauth://..."}   (the token's "googleurl" value)
    enrol.py [--state DIR] check SERIAL CODE
        -> {"ok": true|false, "message": "..."}        (check_serial_pass)
    enrol.py [--state DIR] serve
        reads such commands ("init --type totp", "check SERIAL CODE"), one a line, from
        standard input and answers each with one JSON line: privacyIDEA takes seconds
        to import, so a test starts it once. A failed command answers {"error": "..."}.

The state folder comes from --state or $JETON_PI_STATE; it is created on first use
with a generated configuration (SECRET_KEY, PI_PEPPER, PI_ENCFILE with a fresh
96-byte encryption key) and the database tables.
"""

import argparse
import contextlib
import io
import json
import logging
import os
import secrets
import shlex
import sys
from pathlib import Path


def prepare_state(state: Path) -> Path:
    """Writes the configuration and encryption key once; returns the config file."""
    state.mkdir(parents=True, exist_ok=True)
    cfg = state / "pi.cfg"
    if cfg.exists():
        return cfg
    enckey = state / "enckey"
    # The same thing `pi-manage setup create_enckey` writes: 96 random bytes.
    enckey.write_bytes(secrets.token_bytes(96))
    enckey.chmod(0o400)
    settings = {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(state / "privacyidea.sqlite"),
        "SECRET_KEY": secrets.token_hex(32),
        "PI_PEPPER": secrets.token_hex(16),
        "PI_ENCFILE": str(enckey),
        "PI_AUDIT_KEY_PRIVATE": str(state / "private.pem"),
        "PI_AUDIT_KEY_PUBLIC": str(state / "public.pem"),
        "PI_LOGFILE": str(state / "privacyidea.log"),
        "PI_LOGLEVEL": logging.WARNING,
        "SUPERUSER_REALM": ["superuser"],
        "PI_NODE": "jeton-test",
    }
    # Written to a temporary name and renamed, so a half-written file is never read.
    tmp = state / "pi.cfg.tmp"
    tmp.write_text("".join(f"{key} = {value!r}\n" for key, value in settings.items()))
    tmp.rename(cfg)
    return cfg


def open_app(state: Path):
    cfg = prepare_state(state)
    # privacyIDEA prints its start-up chatter to stdout/stderr: keep stdout for JSON.
    with contextlib.redirect_stdout(io.StringIO()):
        from privacyidea.app import create_app
        from privacyidea.models import db

        os.environ.pop("PRIVACYIDEA_CONFIGFILE", None)
        os.environ.pop("PRIVACYIDEA_CONFIG_NAME", None)
        app = create_app("production", config_file=str(cfg), silent=True)
        ctx = app.app_context()
        ctx.push()
        db.create_all()  # no-op when the tables exist
        db.session.commit()
    return app


def cmd_init(args) -> dict:
    from privacyidea.lib.token import init_token

    params = {
        "type": args.type,
        "genkey": 1,
        "hashlib": args.hashlib,
        "otplen": args.digits,
        "description": "Jeton oracle test",
    }
    if args.type == "totp":
        params["timeStep"] = 30
    token = init_token(params)
    detail = token.get_init_detail(params)
    uri = detail["googleurl"]["value"]
    if args.hashlib != "sha1" and f"algorithm={args.hashlib.upper()}" not in uri:
        raise SystemExit(f"privacyIDEA's URI lacks algorithm={args.hashlib.upper()}: {uri}")
    from privacyidea.models import db

    db.session.commit()
    return {"serial": token.get_serial(), "uri": uri}


def cmd_check(args) -> dict:
    from privacyidea.lib.token import check_serial_pass
    from privacyidea.models import db

    ok, detail = check_serial_pass(args.serial, args.code)
    db.session.commit()
    return {"ok": bool(ok), "message": str(detail.get("message", ""))}


def build_parser(serving: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="enrol.py", description=__doc__.splitlines()[0])
    if not serving:
        parser.add_argument("--state", default=os.environ.get("JETON_PI_STATE"),
                            help="state folder (default: $JETON_PI_STATE)")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="enrol a token; print {serial, uri}")
    init.add_argument("--type", choices=["totp", "hotp"], required=True)
    init.add_argument("--hashlib", choices=["sha1", "sha256", "sha512"], default="sha1")
    init.add_argument("--digits", type=int, choices=[6, 8], default=6)
    check = sub.add_parser("check", help="check a code; print {ok, message}")
    check.add_argument("serial")
    check.add_argument("code")
    if not serving:
        sub.add_parser("serve", help="answer commands read from stdin, one JSON line each")
    return parser


def run(args) -> dict:
    return cmd_init(args) if args.command == "init" else cmd_check(args)


def serve() -> None:
    parser = build_parser(serving=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            result = run(parser.parse_args(shlex.split(line)))
        except SystemExit as e:  # argparse errors, the algorithm check
            from privacyidea.models import db

            db.session.rollback()
            result = {"error": f"bad command {line.strip()!r}: {e}"}
        except Exception as e:  # noqa: BLE001 - reported to the caller, who fails
            from privacyidea.models import db

            db.session.rollback()
            result = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(result), flush=True)


def main() -> int:
    parser = build_parser()
    args = parser.parse_args()
    if not args.state:
        parser.error("give --state DIR or set JETON_PI_STATE")

    open_app(Path(args.state))
    if args.command == "serve":
        serve()
    else:
        print(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
