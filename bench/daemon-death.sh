#!/usr/bin/env bash
# The daemon-death soak (issue 13, part 2): APPS apps each write numbered lines as fast as they
# can; the daemon is SIGKILLed KILLS times at random moments; then it counts what a user would
# check: lines lost (gaps in each app's numbers), apps restarted, copies of each app, the time
# from each kill until `sup ls` answers with every app online under its old pid, and the
# keeper's RSS.
#
#   bench/daemon-death.sh [SUP]     (default: /tmp/h5-native/sup if present, else the Release build)
#
# Environment: APPS (20), KILLS (10), GAP_MIN_MS/GAP_MAX_MS (500/2000) between kills.
# Everything runs in a temporary SUP_HOME under /tmp, removed at the end (KEEP=1 keeps it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
sup=${1:-}
if [[ -z $sup ]]; then
  if [[ -x /tmp/h5-native/sup ]]; then sup=/tmp/h5-native/sup
  else sup=$repo/src/Supervisor.Cli/bin/Release/net10.0/linux-x64/sup; fi
fi
APPS=${APPS:-20}
KILLS=${KILLS:-10}
GAP_MIN_MS=${GAP_MIN_MS:-500}
GAP_MAX_MS=${GAP_MAX_MS:-2000}

export SUP_HOME=$(mktemp -d /tmp/dd-XXXXXX)
cleanup() {
  "$sup" kill >/dev/null 2>&1 || true
  for p in $(grep -l "SUP_HOME=$SUP_HOME" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do kill -9 "$p" 2>/dev/null || true; done
  [[ ${KEEP:-0} == 1 ]] && echo "kept $SUP_HOME" || rm -rf "$SUP_HOME"
}
trap cleanup EXIT

cat >"$SUP_HOME/writer.sh" <<'W'
#!/bin/sh
i=0
while :; do echo "$i"; i=$((i + 1)); done
W
chmod +x "$SUP_HOME/writer.sh"
{
  echo "apps:"
  for i in $(seq 1 "$APPS"); do
    printf '  - name: w%02d\n    script: %s\n    log_max_size: 100GB\n' "$i" "$SUP_HOME/writer.sh"
  done
} >"$SUP_HOME/eco.yaml"

now_ms() { date +%s%3N; }
pids_online() { "$sup" ls --json 2>/dev/null | jq -r '[.[] | select(.status == "online") | "\(.name)=\(.pid)"] | sort | join(" ")'; }

"$sup" start "$SUP_HOME/eco.yaml" >/dev/null
sleep 1
before=$(pids_online)
[[ $(wc -w <<<"$before") -eq $APPS ]] || { echo "not every app came online: $before" >&2; exit 1; }

worst=0
total=0
for k in $(seq 1 "$KILLS"); do
  sleep "$(awk -v a="$GAP_MIN_MS" -v b="$GAP_MAX_MS" -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", (a + rand() * (b - a)) / 1000 }')"
  daemon=$(cat "$SUP_HOME/sup.pid")
  t0=$(now_ms)
  kill -9 "$daemon"
  while :; do
    if [[ -f $SUP_HOME/sup.pid && $(cat "$SUP_HOME/sup.pid" 2>/dev/null) != "$daemon" ]] && [[ $(pids_online) == "$before" ]]; then break; fi
    if (($(now_ms) - t0 > 30000)); then echo "kill $k: not supervised again within 30 s" >&2; break; fi
    sleep 0.02
  done
  took=$(($(now_ms) - t0))
  total=$((total + took))
  ((took > worst)) && worst=$took
  printf 'kill %2d: daemon pid %s, supervised again (same pids) after %d ms\n' "$k" "$daemon" "$took"
done

after=$(pids_online)
restarts=$("$sup" ls --json | jq '[.[].restarts] | add')
keeper=$(cat "$SUP_HOME/keeper.pid")
keeper_rss=$(awk '/VmRSS/ { print $2 }' "/proc/$keeper/status")
keeper_private=$(awk '/^Private_(Clean|Dirty)/ { kb += $2 } END { print kb }' "/proc/$keeper/smaps_rollup")
copies=$(pgrep -f "$SUP_HOME/writer.sh" | wc -l)
"$sup" stop all >/dev/null
lost=0
bad=0
for i in $(seq 1 "$APPS"); do
  name=$(printf 'w%02d' "$i")
  read -r l b < <(cat "$SUP_HOME/logs/$name-out.log" | awk '
    $0 !~ /^[0-9]+$/ { bad++; next }
    p != "" && $0 > p + 1 { lost += $0 - p - 1 }
    p != "" && $0 <= p { bad++ }
    { p = $0 }
    END { print lost + 0, bad + 0 }')
  lost=$((lost + l))
  bad=$((bad + b))
done
lines=$(cat "$SUP_HOME"/logs/w*-out.log | wc -l)
# From the logs: each daemon death (the keeper's line) to the next daemon serving with every app
# adopted (its "Listening" line), without the polling CLI's own start-up in the figure.
serving=$(python3 - "$SUP_HOME" <<'PY'
import re, sys, datetime as dt
home = sys.argv[1]
def t(s): return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
died = [t(m.group(1)) for m in re.finditer(r"^(\S+) keeper\[\d+\]: daemon pid \d+ died", open(home + "/daemon.out").read(), re.M)]
up = [t(m.group(1)) for m in re.finditer(r"^(\S+) info  \[rpc\] Listening", open(home + "/daemon.log").read(), re.M)]
gaps = [min((u - d).total_seconds() * 1000 for u in up if u > d) for d in died if any(u > d for u in up)]
print(f"mean {sum(gaps) / len(gaps):.0f} ms, worst {max(gaps):.0f} ms" if gaps else "n/a")
PY
)

echo
echo "apps $APPS, kills $KILLS, lines written $lines"
echo "lines lost: $lost (plus $bad broken or repeated lines)"
echo "restarts: $restarts"
echo "processes: $copies writer processes for $APPS apps; same pids after every kill: $([[ $after == "$before" ]] && echo yes || echo no)"
echo "supervised again: mean $((total / KILLS)) ms, worst $worst ms (kill to a sup ls with every app online under its old pid)"
echo "serving again (from the logs: death to the next daemon listening, every app adopted): $serving"
echo "keeper RSS: $((keeper_rss / 1024)).$(((keeper_rss % 1024) * 10 / 1024)) MB ($keeper_rss kB; $keeper_private kB of it private, the rest pages of the sup binary and libc it shares with the daemon)"
