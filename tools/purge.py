"""make purge DAYS=N: deletes conversations older than N days from the embedded store
(endpoints.yml, SQLite) and from the production store (endpoints.prod.yml, PostgreSQL)."""

import argparse
import os
import sys

from sqlalchemy.exc import OperationalError

from assistant.stores.retention import engine_for, purge
from deploy.settings import PROJECT, production_env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=float, required=True)
    parser.add_argument("--endpoints", nargs="*", default=["endpoints.yml", "endpoints.prod.yml"])
    args = parser.parse_args()
    for name, value in production_env().items():
        os.environ.setdefault(name, value)
    failed = False
    for endpoints in args.endpoints:
        engine = engine_for(PROJECT / endpoints)
        if engine is None:
            print(f"{endpoints}: no SQL tracker store")
            continue
        try:
            deleted = purge(engine, args.days)
        except OperationalError as error:
            if "does not exist" in str(error) or "no such table" in str(error):
                print(f"{endpoints}: no conversation stored yet")
                continue
            print(f"{endpoints}: could not purge ({error.orig})")
            failed = True
            continue
        except Exception as error:
            print(f"{endpoints}: could not purge ({type(error).__name__}: {error})")
            failed = True
            continue
        print(
            f"{endpoints}: {deleted} conversation(s) idle for more than {args.days:g} days deleted"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
