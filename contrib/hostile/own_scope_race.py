#!/usr/bin/env python3
"""An own-scope user racing its administrator for a customer: the user (Customers edit for own
customers) keeps sending UpdateCustomer naming itself as the account manager from 8 threads while
the administrator hands the customer to a colleague, round after round.

    sudo contrib/hostile/own_scope_race.py --socket PATH --uid UID --colleague NAME [--rounds 40]

Run as root against a test instance started by the user running the script (its administrator;
customerd needs `--socket-mode 0666` for the other uid to reach the socket). UID is the OS uid of
a CustomerCard user whose profile edits own customers only (contrib/hostile/sweep.py --uids BASE
adds BASE+1, Sales), NAME another user. The script creates a customer `Race Oy` of UID's user.

The permission check reads the account manager before the call, on a reader; the update's write
comes later. A finding is a round in which the customer is the racing user's again 0.2 s after the
administrator's reassignment was acknowledged: an update checked before it, written after it,
took the customer back. Exit status 0 without findings, 1 with.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import CustomerCardClient, RPCError  # noqa: E402

UPDATE = "customer.v1.CustomerService/UpdateCustomer"


def race(socket: str, customer: int, name: str, uid: int) -> None:
    """In a child switched to `uid`: updates naming `name` as the account manager, until killed."""
    os.setgid(uid)
    os.setuid(uid)
    client = CustomerCardClient(socket, timeout=30)

    def loop() -> None:
        while True:
            try:
                client.call(UPDATE, {"id": customer, "fields": {"accountManager": name}})
            except RPCError:
                pass  # PERMISSION_DENIED while the customer is someone else's; ABORTED when the write saw it

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--uid", type=int, required=True, help="OS uid of the own-scope user who races")
    parser.add_argument("--colleague", required=True, help="the user the administrator hands the customer to")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()

    admin = CustomerCardClient(args.socket, timeout=30)
    users = admin.call("customer.v1.UserService/ListUsers", {}).get("users", [])
    racer = next((user["name"] for user in users if user.get("uid") == args.uid), None)
    if racer is None:
        print(f"no CustomerCard user has uid {args.uid}", file=sys.stderr)
        return 2
    customer = admin.call("customer.v1.CustomerService/CreateCustomer",
                          {"fields": {"name": "Race Oy", "accountManager": racer}})["id"]
    child = os.fork()
    if child == 0:
        try:
            race(args.socket, customer, racer, args.uid)
        finally:
            os._exit(0)
    taken_back = 0
    try:
        for _ in range(args.rounds):
            admin.call(UPDATE, {"id": customer, "fields": {"accountManager": racer}})
            time.sleep(0.02)
            admin.call(UPDATE, {"id": customer, "fields": {"accountManager": args.colleague}})
            time.sleep(0.2)
            manager = admin.call("customer.v1.CustomerService/GetCustomer", {"id": customer}).get("accountManager") or {}
            if manager.get("name") == racer:
                taken_back += 1
    finally:
        os.kill(child, 9)
        os.waitpid(child, 0)
    print(f"{args.rounds} rounds: {racer} had customer {customer} back after its reassignment in {taken_back}")
    return 1 if taken_back else 0


if __name__ == "__main__":
    sys.exit(main())
