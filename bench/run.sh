#!/usr/bin/env bash
# Benchmark: kql against the hand-written Go baseline on the flagship query,
# queries/ai-agents/Copilot_Studio_Connector/AIAgentsEmailExternalMailbox.yaml
# (not the older copy in queries/ai-agents/, which lacks the A365 filter).
# See bench/README.md.
#
#   bench/run.sh [--sets small,medium,large] [--runs N] [--timeout SECONDS]
#
# Generates the data sets once (bench/out/data-<set>), builds the programs
# into bench/out/, runs each program N times under /usr/bin/time -v (taking
# turns: handwritten, kql, handwritten, kql, ...) and prints
# a markdown table (also written to bench/out/results.md). KQL_BIN=path uses
# that kql binary instead of building ./cmd/kql; KQL_SHARED=dir points at the
# shared folder holding gen/ (default: ../shared beside the repository).
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
SHARED=${KQL_SHARED:-$(cd "$ROOT/.." && pwd)/shared}
OUT=$BENCH/out
QUERY=queries/ai-agents/Copilot_Studio_Connector/AIAgentsEmailExternalMailbox.yaml

sets=medium
runs=3
limit=1800

usage() {
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--sets) sets=${2:?}; shift 2 ;;
	--sets=*) sets=${1#--sets=}; shift ;;
	--runs) runs=${2:?}; shift 2 ;;
	--runs=*) runs=${1#--runs=}; shift ;;
	--timeout) limit=${2:?}; shift 2 ;;
	--timeout=*) limit=${1#--timeout=}; shift ;;
	-h | --help) usage ;;
	*) echo "run.sh: unknown argument $1" >&2; usage ;;
	esac
done

if [ ! -x /usr/bin/time ]; then
	echo "run.sh: /usr/bin/time is missing (Debian/Ubuntu: apt-get install time)" >&2
	exit 1
fi

# gen_flags prints the generator flags of a set; ref prints "rows checksum",
# the reference result from shared/gen/README.md (seed 1).
gen_flags() {
	case $1 in
	small) echo "-agents 1000 -snapshots 3 -identities 1000" ;;
	medium) echo "-agents 100000 -snapshots 3 -identities 50000" ;;
	large) echo "-agents 300000 -snapshots 3 -identities 150000" ;;
	*) return 1 ;;
	esac
}

ref() {
	case $1 in
	small) echo "20 9db15ceda7286f1f" ;;
	medium) echo "2747 de1882107547d751" ;;
	large) echo "8469 fc37f8db03b0891a" ;;
	esac
}

mkdir -p "$OUT/results"

echo "building into $OUT" >&2
(cd "$SHARED/gen" && go build -o "$OUT/kqlgen" .)
(cd "$ROOT" && go build -o "$OUT/handwritten" ./bench/handwritten)
(cd "$ROOT" && go build -o "$OUT/checksum" ./bench/checksum)
kql_ok=1
KQL=$OUT/kql
if [ -n "${KQL_BIN:-}" ]; then
	KQL=$KQL_BIN
elif ! (cd "$ROOT" && go build -o "$OUT/kql" ./cmd/kql) >"$OUT/results/kql-build.log" 2>&1; then
	kql_ok=0
	echo "run.sh: kql does not build (see $OUT/results/kql-build.log); timing the baseline only" >&2
fi

# generate SET: writes bench/out/data-SET unless a finished copy is there.
generate() {
	local set=$1 dir=$OUT/data-$1
	if [ -f "$dir/.complete" ]; then
		return
	fi
	echo "generating $set into $dir" >&2
	rm -rf "$dir"
	# shellcheck disable=SC2046 # the flags are meant to split
	"$OUT/kqlgen" $(gen_flags "$set") -seed 1 -format ndjson -out "$dir"
	touch "$dir/.complete"
}

# timed PREFIX CMD...: runs CMD under /usr/bin/time -v, stdout to PREFIX.out,
# the time report to PREFIX.time, stderr to PREFIX.err; prints the exit code.
timed() {
	local prefix=$1
	shift
	local rc=0
	/usr/bin/time -v -o "$prefix.time" timeout "$limit" "$@" >"$prefix.out" 2>"$prefix.err" || rc=$?
	echo "$rc"
}

# wall_seconds FILE / rss_mb FILE read a /usr/bin/time -v report.
wall_seconds() {
	awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		printf "%.2f\n", s }' "$1"
}

cpu_seconds() {
	awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f\n", s }' "$1"
}

rss_mb() {
	awk -F': ' '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$1"
}

# median: the middle of the numbers on stdin ("" when there are none).
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# med "N N N": the median of a space-separated list.
med() {
	tr ' ' '\n' <<<"$1" | grep . | median || true
}

# run_once SET PROG I: run I of PROG (handwritten or kql) on SET; writes the
# outputs and the time report under bench/out/results/ and the exit status
# (or "checksum") to SET-PROG-I.rc.
run_once() {
	local set=$1 prog=$2 i=$3 data=$OUT/data-$1 p=$OUT/results/$1-$2-$3 rc
	if [ "$prog" = handwritten ]; then
		rc=$(timed "$p" "$OUT/handwritten" -d "$data")
		cp "$p.out" "$p.sum"
	else
		rc=$(cd "$ROOT" && timed "$p" "$KQL" run --format jsonl -d "$data" "$QUERY")
		if ! "$OUT/checksum" <"$p.out" >"$p.sum" 2>>"$p.err" && [ "$rc" = 0 ]; then
			rc=checksum
		fi
	fi
	echo "$rc" >"$p.rc"
	if [ "$rc" = 0 ]; then
		echo "  $set $prog run $i: $(wall_seconds "$p.time") s wall," \
			"$(cpu_seconds "$p.time") s CPU, $(rss_mb "$p.time") MB" >&2
	fi
}

# bench SET PROG: prints "wall|cpu|rss|rows|checksum|status" over the runs
# of PROG on SET (medians; status ok or the first failure).
bench() {
	local set=$1 prog=$2 walls="" cpus="" rsss="" summary="" status=ok
	for i in $(seq 1 "$runs"); do
		local p=$OUT/results/$set-$prog-$i rc
		rc=$(cat "$p.rc")
		if [ "$rc" != 0 ]; then
			status="failed (exit $rc, see bench/out/results/$set-$prog-$i.err)"
			break
		fi
		walls+="$(wall_seconds "$p.time") "
		cpus+="$(cpu_seconds "$p.time") "
		rsss+="$(rss_mb "$p.time") "
		summary=$(cat "$p.sum")
	done
	local rows sum
	rows=$(awk '/^rows/ { print $2 " (" $4 " + " $6 ")" }' <<<"$summary")
	sum=$(awk '/^checksum/ { print $2 }' <<<"$summary")
	echo "$(med "$walls")|$(med "$cpus")|$(med "$rsss")|$rows|$sum|$status"
}

table=$OUT/results.md
{
	echo "| set | program | median wall (s) | median CPU user+sys (s) | median peak RSS (MB) | kql/handwritten (wall, CPU, RSS) | rows (tools + topics) | checksum |"
	echo "|---|---|---|---|---|---|---|---|"
} >"$table"

for set in ${sets//,/ }; do
	if ! gen_flags "$set" >/dev/null; then
		echo "run.sh: unknown set $set (small, medium, large)" >&2
		exit 2
	fi
	generate "$set"
	read -r ref_rows ref_sum <<<"$(ref "$set")"
	progs=handwritten
	[ "$kql_ok" = 1 ] && progs="handwritten kql"
	# The programs take turns, run by run, so that both see the same
	# changes in the machine's load.
	rm -f "$OUT/results/$set"-*.rc
	for i in $(seq 1 "$runs"); do
		for prog in $progs; do
			if [ "$i" = 1 ] || [ "$(cat "$OUT/results/$set-$prog-$((i - 1)).rc")" = 0 ]; then
				run_once "$set" "$prog" "$i"
			else
				cp "$OUT/results/$set-$prog-$((i - 1)).rc" "$OUT/results/$set-$prog-$i.rc"
			fi
		done
	done
	hw_wall="" hw_cpu="" hw_rss=""
	for prog in $progs; do
		IFS='|' read -r wall cpu rss rows sum status <<<"$(bench "$set" "$prog")"
		ratio=""
		if [ "$prog" = handwritten ]; then
			hw_wall=$wall hw_cpu=$cpu hw_rss=$rss
		elif [ -n "$wall" ] && [ -n "$hw_wall" ] && [ "$status" = ok ]; then
			ratio=$(awk -v w="$wall" -v hw="$hw_wall" -v c="$cpu" -v hc="$hw_cpu" \
				-v r="$rss" -v hr="$hw_rss" 'function x(a, b) { return b > 0 ? sprintf("%.1fx", a / b) : "-" }
				BEGIN { print x(w, hw) ", " x(c, hc) ", " x(r, hr) }')
		fi
		match="no"
		if [ "$status" != ok ]; then
			match=$status
		elif [ "$sum" = "$ref_sum" ] && [ "${rows%% *}" = "$ref_rows" ]; then
			match="yes ($sum)"
		else
			match="NO: $sum, want $ref_rows rows $ref_sum"
		fi
		echo "| $set | $prog | ${wall:--} | ${cpu:--} | ${rss:--} | ${ratio:--} | ${rows:--} | $match |" >>"$table"
	done
	[ "$kql_ok" = 1 ] || echo "| $set | kql | - | - | - | - | - | does not build |" >>"$table"
done

cat "$table"
