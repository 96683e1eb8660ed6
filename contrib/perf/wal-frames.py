#!/usr/bin/env python3
"""Which B-trees each transaction of a WAL file wrote: frames per commit, by table or index and
page type (dbstat of the database as it was before the transactions; pages it did not have yet
are "new page"). For a copy of the WAL taken before the last connection closes (the sqlite3 shell
checkpoints and deletes it on exit), e.g. (docs/performance/HISTORY.md "create22"):

    (echo "PRAGMA wal_autocheckpoint=0;"; cat groups.sql; echo ".shell cp copy.sqlite-wal groups.wal") \
        | sqlite3 copy.sqlite > /dev/null
    contrib/perf/wal-frames.py groups.wal original.sqlite

Name the database as it was after the run (the shell's copy once it exited) to have the pages
the transactions made named too, instead of "new page". With --summary: one line per B-tree and
page type, its frames a transaction averaged over all of them, most first (create34).
"""
import collections, sqlite3, struct, sys

def main(wal_path, database, summary=False):
    data = open(wal_path, "rb").read()
    page_size = struct.unpack(">I", data[8:12])[0]
    owners = {}
    db = sqlite3.connect("file:%s?mode=ro" % database, uri=True)
    for name, page, kind in db.execute("SELECT name, pageno, pagetype FROM dbstat"):
        owners[page] = "%s/%s" % (name, kind)
    offset, frames = 32, []
    commits = []
    while offset + 24 + page_size <= len(data):
        page, size_after_commit = struct.unpack(">II", data[offset:offset + 8])
        frames.append(page)
        offset += 24 + page_size
        if size_after_commit:
            commits.append(frames)
            frames = []
    print("page size %d, %d transactions" % (page_size, len(commits)))
    if summary:
        total = collections.Counter(owners.get(page, "new page") for pages in commits for page in pages)
        print("%.1f frames a transaction" % (sum(total.values()) / max(len(commits), 1)))
        for owner, frames in total.most_common():
            print("%-45s %.2f" % (owner, frames / len(commits)))
        return
    for number, pages in enumerate(commits):
        count = collections.Counter(owners.get(page, "new page") for page in pages)
        print("%d: %d frames: %s" % (number, len(pages), "; ".join("%s %d" % item for item in sorted(count.items()))))

if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--summary"]
    if len(arguments) != 2:
        sys.exit(__doc__)
    main(arguments[0], arguments[1], summary="--summary" in sys.argv[1:])
