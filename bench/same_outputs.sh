#!/usr/bin/env bash
# Compare the outputs of two airwar binaries, for speed work that must not change a number:
#   bench/same_outputs.sh OLD_BINARY NEW_BINARY
# Runs both theatres (three seeds, one thread, three --set values) and every built-in battle
# (two seeds, five --set values) with --json on each binary and compares the JSON with its
# `provenance` (version, command line) left out. Prints each difference and a count; exits
# non-zero if any output differs or a run fails.
set -u
old=${1:?usage: bench/same_outputs.sh OLD_BINARY NEW_BINARY} new=${2:?usage: bench/same_outputs.sh OLD_BINARY NEW_BINARY}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checked=0 failed=0

without_provenance() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("provenance", None); print(json.dumps(d, sort_keys=True))' "$1"
}

compare() {
    checked=$((checked + 1))
    "$old" "$@" --json >"$work/old.json" 2>"$work/old.err"
    local old_status=$?
    "$new" "$@" --json >"$work/new.json" 2>"$work/new.err"
    local new_status=$?
    if [ "$old_status" != 0 ] || [ "$new_status" != 0 ]; then
        echo "failed ($old_status, $new_status): airwar $*"
        failed=$((failed + 1))
    elif [ "$(without_provenance "$work/old.json")" != "$(without_provenance "$work/new.json")" ]; then
        echo "differs: airwar $*"
        failed=$((failed + 1))
    fi
}

for theatre in china-1937 korea-1950; do
    for seed in 3 11 12; do compare run "$theatre" --runs 200 --seed "$seed" --quiet; done
    compare run "$theatre" --runs 20 --threads 1 --quiet
    for change in params.friendly_fire_base=0.2 params.round_minutes=0.5 params.break_off_loss_share=0.9; do
        compare run "$theatre" --runs 100 --seed 5 --set "$change" --quiet
    done
done
for battle in $("$old" battles | awk 'NR > 2 && $2 ~ /^1[0-9]+-/ { print $1 }'); do
    for seed in 1 7; do compare battle "$battle" --runs 2000 --seed "$seed" --quiet; done
    for change in params.friendly_fire_base=0.2 params.round_minutes=0.5 \
        params.break_off_loss_share=0.9 params.break_off_loss_share=0 params.scramble_minutes=20; do
        compare battle "$battle" --runs 1000 --set "$change" --quiet
    done
done
echo "checked $checked outputs, $failed differ or failed"
[ "$failed" = 0 ]
