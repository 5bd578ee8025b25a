"""Constants and builders shared by the reliability tests."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

PASSWORD = "correct horse battery staple"
# A cheap hash: the tests log in hundreds of times, and the app checks any Werkzeug method.
HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


# --- one app instance in its own process (tests/reliability/test_multi_instance.py) ------------------


def inventory_csv(count: int, tag: str) -> bytes:
    """`count` products with unique barcodes; `tag` goes into every name (which import won?)."""
    lines = ["name,brand,barcode,ingredients"]
    lines += [
        f'{tag} product {i},Brand {i % 7},{4000000000000 + i},"Water, Glycerin, '
        f'{"Retinol" if i % 3 == 0 else "Niacinamide"}"'
        for i in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def run_instance(database_url: str, instance_dir: str, steps: list, ready, go, results) -> None:
    """A separate process standing for one server: its own app, engine and connections.

    steps: ("lookup", query) | ("upload", csv bytes, filename) | ("signal",) | ("wait",)
    `ready` is set by ("signal",), ("wait",) waits for `go`; each step's outcome goes to `results`.
    """
    import io

    from app import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "one-key-for-every-server-" + "s" * 16,
            "DATABASE_URL": database_url,
            "STAFF_PASSWORD_HASH": HASH,
            "WTF_CSRF_ENABLED": False,
            "SHELF_LOOKUP_PUBLIC": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.instance_path = instance_dir
    client = app.test_client()
    outcome = []
    try:
        assert client.post("/staff/login", data={"password": PASSWORD}).status_code == 302
        for step in steps:
            if step[0] == "lookup":
                page = client.get(f"/shelf/lookup?q={step[1]}")
                outcome.append(("lookup", page.status_code, page.get_data(as_text=True).count('href="/shelf/product/')))
            elif step[0] == "upload":
                response = client.post(
                    "/shelf/upload",
                    data={"inventory": (io.BytesIO(step[1]), step[2])},
                    content_type="multipart/form-data",
                )
                outcome.append(("upload", response.status_code, response.headers.get("Location", "")))
            elif step[0] == "signal":
                ready.set()
            elif step[0] == "wait":
                go.wait(60)
        results.put(outcome)
    except BaseException as exc:  # the parent reports it
        results.put([("error", repr(exc))])
