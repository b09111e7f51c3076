#!/usr/bin/env python3
"""An independent reader of encrypted Aegis vaults, for Jeton's export tests.

Follows shared/conformance/aegis_vault_format.md (Aegis's docs/vault.md and
docs/decrypt.py), written apart from the Rust code and using only the
`cryptography` package: scrypt on each password slot, AES-256-GCM unwrap of the
master key (tag stored apart), then AES-256-GCM of `db`.

Usage: aegis_decrypt.py VAULT.json  (the password is read from stdin)
Prints {"version": ..., "entries": [...]} with each entry's group names resolved
(an absent note or favourite prints as null, an absent icon as "absent").
Exits 2 when no password slot opens, 1 on any other failure.
"""

import base64
import json
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt


def main():
    with open(sys.argv[1], "r", encoding="utf-8") as f:
        vault = json.load(f)
    password = sys.stdin.read().rstrip("\n").encode("utf-8")

    if vault["version"] != 1:
        sys.exit("unexpected file version")
    header = vault["header"]
    master = None
    for slot in header["slots"]:
        if slot["type"] != 1:
            continue
        key = Scrypt(
            salt=bytes.fromhex(slot["salt"]),
            length=32,
            n=slot["n"],
            r=slot["r"],
            p=slot["p"],
        ).derive(password)
        params = slot["key_params"]
        try:
            master = AESGCM(key).decrypt(
                bytes.fromhex(params["nonce"]),
                bytes.fromhex(slot["key"]) + bytes.fromhex(params["tag"]),
                None,
            )
            break
        except InvalidTag:
            continue
    if master is None:
        print("no password slot opens", file=sys.stderr)
        sys.exit(2)

    params = header["params"]
    plain = AESGCM(master).decrypt(
        bytes.fromhex(params["nonce"]),
        base64.b64decode(vault["db"], validate=True) + bytes.fromhex(params["tag"]),
        None,
    )
    db = json.loads(plain.decode("utf-8"))
    names = {g["uuid"]: g["name"] for g in db.get("groups", [])}
    entries = []
    for e in db["entries"]:
        info = e["info"]
        entries.append(
            {
                "type": e["type"],
                "uuid": e["uuid"],
                "issuer": e["issuer"],
                "name": e["name"],
                "note": e.get("note"),
                "favorite": e.get("favorite"),
                "icon": e.get("icon", "absent"),
                "secret": info["secret"],
                "algo": info["algo"],
                "digits": info["digits"],
                "period": info.get("period"),
                "counter": info.get("counter"),
                "groups": [names[u] for u in e.get("groups", [])],
            }
        )
    json.dump({"version": db["version"], "entries": entries}, sys.stdout)


if __name__ == "__main__":
    main()
