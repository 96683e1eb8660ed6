#!/usr/bin/env python3
"""Which B-trees each transaction of a WAL file wrote: frames per commit, by table or index and
page type (dbstat of the database as it was before the transactions; pages it did not have yet
are "new page"). For a copy of the WAL taken before the last connection closes (the sqlite3 shell
checkpoints and deletes it on exit), e.g. (docs/performance/HISTORY.md "create22"):

    (echo "PRAGMA wal_autocheckpoint=0;"; cat groups.sql; echo ".shell cp copy.sqlite-wal groups.wal") \
        | sqlite3 copy.sqlite > /dev/null
    contrib/perf/wal-frames.py groups.wal original.sqlite
"""
import collections, sqlite3, struct, sys

def main(wal_path, database):
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
    for number, pages in enumerate(commits):
        count = collections.Counter(owners.get(page, "new page") for page in pages)
        print("%d: %d frames: %s" % (number, len(pages), "; ".join("%s %d" % item for item in sorted(count.items()))))

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
