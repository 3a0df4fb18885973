#!/usr/bin/env bash
# Load test of copylab's public endpoints, client and server on this machine.
#
# It builds copylab and the yardstick (app/simulate/yardstick: a bare Fiber
# handler that only parses the same event bodies), starts copylab on a fresh
# database on 127.0.0.1, creates a user, an API token, a site and a running
# experiment through the CLI and the API, then:
#   1. events: `copylab simulate` sends VISITORS visitors with CONCURRENCY
#      requests in flight: each views the tested page PAGEVIEWS times on
#      average (an exposure per view, one request each) and converts at the
#      given rates, half of the conversions in the last page view's request;
#      then it checks through the results API that the counts grew by
#      exactly what was acknowledged;
#   2. yardstick: the same simulation against the bare handler;
#   3. snippet: SNIPPET_REQUESTS GETs of the site's /s/KEY.js (gzip, uncached);
# and prints events/s, p99, the verification, the ratio to the yardstick and
# the CPU each server spent per request and how busy the whole machine was
# (both from /proc, where there is one), and copylab's peak memory.
# Everything runs on 127.0.0.1, is bounded in count and in time (TIMEOUT per
# step), and stops by itself; the servers are stopped on exit.
#
#   scripts/loadtest.sh                    # the defaults below
#   VISITORS=50000 CONCURRENCY=64 scripts/loadtest.sh
#   SERVER_CPUS=0 scripts/loadtest.sh      # copylab on one core (taskset), as on a one-CPU host
set -euo pipefail
cd "$(dirname "$0")/.."

VISITORS=${VISITORS:-150000}
CONCURRENCY=${CONCURRENCY:-256}
PAGEVIEWS=${PAGEVIEWS:-1.5}
SNIPPET_REQUESTS=${SNIPPET_REQUESTS:-200000}
RATES=${RATES:-control=0.30,b=0.36}
PORT=${PORT:-18480}
YARD_PORT=${YARD_PORT:-18490}
TIMEOUT=${TIMEOUT:-120s}
SERVER_CPUS=${SERVER_CPUS:-}

work=$(mktemp -d -t copylab-load.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build"
go build -o "$work/copylab" ./cmd/copylab
go build -o "$work/yardstick" ./app/simulate/yardstick

url=http://127.0.0.1:$PORT
db=$work/copylab.db
wait_up() { # url
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server at $1 did not come up" >&2
  return 1
}
cpu_ticks() { # pid: user+system CPU in clock ticks, or nothing
  [ -r "/proc/$1/stat" ] && awk '{print $14 + $15}' "/proc/$1/stat"
}
per_request() { # pid ticks-before requests-file: µs of CPU per acknowledged request
  local after req hz
  after=$(cpu_ticks "$1") || return 0
  req=$(grep -o 'requests [0-9]*' "$3" | head -1 | cut -d' ' -f2)
  hz=$(getconf CLK_TCK)
  [ -n "$after" ] && [ -n "$req" ] && [ "$req" -gt 0 ] && awk -v a="$after" -v b="$2" -v r="$req" -v hz="$hz" 'BEGIN { printf "%.0f", (a - b) * 1e6 / hz / r }'
}
peak_memory() { # pid: the largest resident set it has had, in MB
  [ -r "/proc/$1/status" ] && awk '/^VmHWM:/ {printf "%.0f MB", $2 / 1024}' "/proc/$1/status"
}
machine_ticks() { # busy and total CPU ticks of the whole machine
  [ -r /proc/stat ] && awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat
}
busy_share() { # "busy total" before: the share of the machine's CPU used since then
  local now
  now=$(machine_ticks) || return 0
  [ -n "$1" ] && awk -v a="$now" -v b="$1" 'BEGIN { split(a, x, " "); split(b, y, " "); if (x[2] > y[2]) printf "%.0f%%", 100 * (x[1] - y[1]) / (x[2] - y[2]) }'
}
json_field() { # field < json
  python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

echo "== start copylab on $url (database $db)"
# The load comes from one address (loopback is exempt from the per-IP
# limit anyway); the per-site limit is raised so that it does not cap the
# measurement.
pin=()
[ -n "$SERVER_CPUS" ] && pin=(taskset -c "$SERVER_CPUS")
"${pin[@]}" "$work/copylab" serve --addr "127.0.0.1:$PORT" --db "$db" --log-level warn \
  --rate-site 10000000 >"$work/copylab.log" 2>&1 &
pids+=($!)
copylab_pid=$!
wait_up "$url/healthz"

echo "== user, token, site, experiment"
echo "load-test-password" | "$work/copylab" user add --db "$db" --email load@example.com --password-stdin >/dev/null
token=$("$work/copylab" token create --db "$db" --email load@example.com --name loadtest)
api() { # method path [json]
  curl -fsS -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' ${3:+-d "$3"} "$url$2"
}
site=$(api POST /api/v1/sites '{"name":"Load test","domain":"load.example"}')
site_id=$(json_field id <<<"$site")
site_key=$(json_field key <<<"$site")
exp=$(api POST /api/v1/experiments '{"site_id":"'"$site_id"'","name":"Hero","page":"/*","selector":"[data-copylab=\"hero\"]",
  "goal":{"type":"click","selector":"#buy"},"variants":[{"key":"control","text":"Notes for teams"},{"key":"b","text":"Notes your team opens"}]}')
exp_id=$(json_field id <<<"$exp")
api POST "/api/v1/experiments/$exp_id/start" >/dev/null
echo "site $site_key, experiment $exp_id"

simulate() { # base-url site experiment [more flags]
  local base=$1 key=$2 x=$3
  shift 3
  "$work/copylab" simulate --url "$base" --site "$key" --experiment "$x" --visitors "$VISITORS" \
    --rates "$RATES" --concurrency "$CONCURRENCY" --pageviews "$PAGEVIEWS" --timeout "$TIMEOUT" "$@"
}
field() { # pattern file: the number before the pattern on the throughput line
  grep -o "[0-9]* $1" "$2" | head -1 | cut -d' ' -f1
}

echo
echo "== 1. events through copylab ($VISITORS visitors, concurrency $CONCURRENCY, verified)"
status=0
before=$(cpu_ticks "$copylab_pid" || true)
machine=$(machine_ticks || true)
simulate "$url" "$site_key" "$exp_id" --token "$token" | tee "$work/events.txt" || status=$?
copylab_busy=$(busy_share "$machine" || true)
copylab_cpu=$(per_request "$copylab_pid" "${before:-0}" "$work/events.txt" || true)

echo
echo "== 2. yardstick: the bare Fiber handler, same bodies"
"$work/yardstick" -addr "127.0.0.1:$YARD_PORT" >"$work/yardstick.log" 2>&1 &
pids+=($!)
yard_pid=$!
wait_up "http://127.0.0.1:$YARD_PORT/s/x.json"
before=$(cpu_ticks "$yard_pid" || true)
machine=$(machine_ticks || true)
simulate "http://127.0.0.1:$YARD_PORT" "$site_key" 0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b | tee "$work/yard.txt" || status=$?
yard_busy=$(busy_share "$machine" || true)
yard_cpu=$(per_request "$yard_pid" "${before:-0}" "$work/yard.txt" || true)

echo
echo "== 3. snippet GET /s/$site_key.js ($SNIPPET_REQUESTS requests, concurrency $CONCURRENCY)"
"$work/copylab" simulate --url "$url" --site "$site_key" --snippet "$SNIPPET_REQUESTS" \
  --concurrency "$CONCURRENCY" --timeout "$TIMEOUT" | tee "$work/snippet.txt" || status=$?

echo
echo "== metrics (excerpt)"
curl -fsS "$url/metrics" | grep -E '^copylab_(events_(accepted|rejected|duplicate)_total|ingest_batches_total|ingest_batch_(events|seconds)_(sum|count))' || true

copylab_mem=$(peak_memory "$copylab_pid" || true)
ev=$(field "events/s" "$work/events.txt")
rq=$(field "requests/s" "$work/events.txt")
yev=$(field "events/s" "$work/yard.txt")
yrq=$(field "requests/s" "$work/yard.txt")
snip=$(grep -o '[0-9]* requests/s' "$work/snippet.txt" | head -1 | cut -d' ' -f1)
p99=$(grep -o 'p99 [^,]*' "$work/events.txt" | head -1)
verify=$(grep '^verify:' "$work/events.txt" || echo "verify: (none)")
echo
echo "== summary"
echo "copylab    ${ev:-?} events/s, ${rq:-?} requests/s, $p99, server CPU ${copylab_cpu:-?} µs/request, machine busy ${copylab_busy:-?}"
echo "yardstick  ${yev:-?} events/s, ${yrq:-?} requests/s, server CPU ${yard_cpu:-?} µs/request, machine busy ${yard_busy:-?}"
if [ -n "${rq:-}" ] && [ -n "${yrq:-}" ] && [ "$yrq" -gt 0 ]; then
  awk -v a="$rq" -v b="$yrq" 'BEGIN { printf "ratio      %.2f of the bare handler (requests/s)\n", a / b }'
fi
echo "snippet    ${snip:-?} requests/s"
echo "memory     copylab's peak resident set ${copylab_mem:-?} (all three steps)"
echo "$verify"
if grep -q '^verify: ok' "$work/events.txt" && [ "$status" -eq 0 ]; then
  echo "RESULT: ok"
else
  echo "RESULT: FAILED (see above)"
  exit 1
fi
