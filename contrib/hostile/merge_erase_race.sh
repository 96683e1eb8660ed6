#!/bin/sh
# An erasure, a merge and an update of the same customer at once, round after round; then whether
# the erased customer's name is left anywhere in the database's bytes (history, change feed, search
# and FTS tables, free pages), and whether the merge chains through a third customer are refused.
#
#     contrib/hostile/merge_erase_race.sh CUSTOMERD CUSTOMERCTL [ROUNDS]
#
# Runs its own server, as the calling user (its administrator), in a fresh directory it removes.
# A finding: a round where both the erasure and the merge were acknowledged, an erased name found
# in the files after the server stopped, a merge into an absorbed customer accepted. Exit 1 with one.
set -u
customerd=$1 customerctl=$2 rounds=${3:-20}
dir=$(mktemp -d /tmp/cc-merge-erase-XXXXXX)
"$customerd" --socket "$dir/s.sock" --database "$dir/c.sqlite" --log-level warning > "$dir/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
C="$customerctl --socket $dir/s.sock"
i=0; while [ ! -S "$dir/s.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
findings=0 erased=""
for r in $(seq 1 "$rounds"); do
  a=$($C customers create --name "Race A$r Oy" | awk '/^id/{print $2}')
  b=$($C customers create --name "Race B$r Oy" | awk '/^id/{print $2}')
  $C customers delete "$a" --confirm > "$dir/d" 2>&1 & p1=$!
  $C customers merge "$b" "$a" --confirm > "$dir/m" 2>&1 & p2=$!
  $C customers update "$a" --name "Race A$r Renamed" > "$dir/u" 2>&1 & p3=$!
  wait $p1 $p2 $p3
  grep -q Error "$dir/d"; deleted=$?; grep -q Error "$dir/m"; merged=$?
  [ $deleted = 1 ] && erased="$erased $r"
  if [ $deleted = 1 ] && [ $merged = 1 ]; then echo "FINDING: round $r: both the erasure and the merge acknowledged"; findings=$((findings+1)); fi
  # A merge chain back through the survivor: keep the absorbed one, absorb the survivor.
  if [ $merged = 1 ] && ! $C customers merge "$a" "$b" --confirm 2>&1 | grep -q "NOT_FOUND: customer $a was merged into customer $b"; then
    echo "FINDING: round $r: a merge into the absorbed customer $a was not refused"; findings=$((findings+1))
  fi
done
kill $server; wait $server
echo "erased in rounds:$erased"
for r in $erased; do
  if cat "$dir/c.sqlite" "$dir/c.sqlite-wal" 2>/dev/null | grep -a -q "Race A$r \(Oy\|Renamed\)"; then
    echo "FINDING: round $r: the erased name is still in the database's files"; findings=$((findings+1))
  fi
done
echo "$findings finding(s)"
[ $findings = 0 ]
