#!/usr/bin/env bash
# Side-by-side benchmark of sup, PM2 and supervisord on this machine (see docs/benchmarks.md).
#
#   bench/run.sh [sup|pm2|supervisord|all]      (default: all)
#
# Installs what is missing (pm2@7 into bench/.peers, `apt-get install supervisor`), publishes
# sup in Release twice, native (Native AOT) into bench/.peers/sup and JIT into
# bench/.peers/sup-jit, runs every measure for every supervisor with the same child programs,
# prints one table (median, min-max, sup/peer; a column for each sup build) and writes it into
# docs/benchmarks.md and README.md between their `bench:begin`/`bench:end` markers.
#
# Environment: RUNS (default 5) repetitions per measure, LIST_RUNS (default 20) list-command
# timings, SETTLE (default 5) seconds an idle daemon is left alone before its RSS is read,
# BENCH_NO_DOCS=1 prints the table without touching docs/ and README.md, BENCH_NO_PUBLISH=1
# reuses bench/.peers/sup and sup-jit as they are, LOG_MB (default 200) size of the log test,
# SUP_BUILD=both|native|jit (default both) which builds of sup are measured: the ratios are the
# native sup's (the JIT one's when it runs alone; native needs clang and zlib1g-dev).
#
# Every peer gets its own temporary home (SUP_HOME, PM2_HOME, a supervisord.conf with its own
# socket and pidfile) under one /tmp folder; everything started is stopped on exit. Nothing
# listens beyond Unix sockets.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
peers=$here/.peers
what=${1:-all}
case $what in sup | pm2 | supervisord | all) ;; *) echo "usage: $0 [sup|pm2|supervisord|all]" >&2; exit 2 ;; esac

SUP_BUILD=${SUP_BUILD:-both}
case $SUP_BUILD in both | native | jit) ;; *) echo "SUP_BUILD must be both, native or jit" >&2; exit 2 ;; esac
RUNS=${RUNS:-5}
LIST_RUNS=${LIST_RUNS:-20}
SETTLE=${SETTLE:-5}
LOG_MB=${LOG_MB:-200}
LINE_LEN=100
LOG_LINES=$((LOG_MB * 1024 * 1024 / LINE_LEN))
LOG_BYTES=$((LOG_LINES * LINE_LEN))
DEADLINE_S=60 # no wait below is longer than this

# Short: socket paths must stay under 108 bytes.
work=$(mktemp -d /tmp/sb-XXXXXX)
# Every daemon and app inherits this, so the final sweep can find anything left behind.
export BENCH_TAG=$work

log() { printf '[bench] %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Shut down: each supervisor's own stop command first, then anything still carrying BENCH_TAG.
# ---------------------------------------------------------------------------------------------
cleanup() {
    set +e
    for p in sup supjit pm2 supervisord; do [ -d "$work/$p" ] && "${p}_stop" >/dev/null 2>&1; done
    sweep_tagged
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# SIGKILL to every process whose environment carries this run's BENCH_TAG (this script's own
# bash never does: it was started before the export).
sweep_tagged() {
    local d
    for d in /proc/[0-9]*; do
        if grep -qsxF "BENCH_TAG=$work" <(tr '\0' '\n' 2>/dev/null <"$d/environ"); then
            kill -9 "${d#/proc/}" 2>/dev/null
        fi
    done
}

# ---------------------------------------------------------------------------------------------
# Setup: peers, sup, helper, child programs.
# ---------------------------------------------------------------------------------------------
want() { [ "$what" = all ] || [ "$what" = "$1" ]; }

have_pm2=0 have_supervisord=0
if want pm2; then
    if [ ! -x "$peers/node_modules/.bin/pm2" ]; then
        if command -v npm >/dev/null; then
            log "installing pm2@7 into $peers"
            mkdir -p "$peers"
            (cd "$peers" && npm install --no-audit --no-fund --loglevel=error pm2@7 >&2) || log "npm install pm2@7 failed"
        else
            log "npm not found: PM2 is left out"
        fi
    fi
    [ -x "$peers/node_modules/.bin/pm2" ] && have_pm2=1
fi
if want supervisord; then
    if ! command -v supervisord >/dev/null; then
        log "installing supervisor (apt-get)"
        { apt-get install -y supervisor >&2 || { apt-get update >&2 && apt-get install -y supervisor >&2; }; } || log "apt-get install supervisor failed"
    fi
    if command -v supervisord >/dev/null; then
        have_supervisord=1
        # The Debian package may start the system-wide instance; ours runs on its own conf and socket.
    fi
fi
if ! command -v hyperfine >/dev/null; then
    log "hyperfine not found: timing the list command with date +%s%N"
fi

# The two builds of sup: native (Native AOT, one file) and JIT (sup.dll on the runtime, ReadyToRun).
SUP_NATIVE=$peers/sup/sup
SUP_JIT=$peers/sup-jit/sup
have_native=0 have_jit=0
if want sup; then
    if [ "$SUP_BUILD" != jit ]; then
        if [ "${BENCH_NO_PUBLISH:-0}" != 1 ]; then
            log "publishing the native sup (Release, Native AOT) into $peers/sup"
            rm -rf "$peers/sup"
            dotnet publish "$repo/src/Supervisor.Cli" -c Release -o "$peers/sup" -p:PublishAot=true -nologo -v q >&2 ||
                log "the native publish failed (it needs clang and zlib1g-dev)"
        fi
        [ -x "$SUP_NATIVE" ] && [ ! -e "$peers/sup/sup.dll" ] && have_native=1
        [ "$have_native" = 1 ] || log "no native sup at $SUP_NATIVE: its column is left out"
    fi
    if [ "$SUP_BUILD" != native ]; then
        if [ "${BENCH_NO_PUBLISH:-0}" != 1 ]; then
            log "publishing the JIT sup (Release) into $peers/sup-jit"
            rm -rf "$peers/sup-jit"
            dotnet publish "$repo/src/Supervisor.Cli" -c Release -o "$peers/sup-jit" -p:PublishAot=false -nologo -v q >&2
        fi
        [ -x "$SUP_JIT" ] && [ -e "$peers/sup-jit/sup.dll" ] && have_jit=1
        [ "$have_jit" = 1 ] || log "no JIT sup at $SUP_JIT: its column is left out"
    fi
    [ "$have_native$have_jit" = 00 ] && { log "no sup to measure"; exit 1; }
fi
PM2=$peers/node_modules/.bin/pm2

mkdir -p "$work/bin"
cc -O2 -o "$work/bin/benchtool" "$here/tools/benchtool.c"
BT=$work/bin/benchtool
CLK_TCK=$(getconf CLK_TCK)

# The same three child programs for every supervisor.
cat >"$work/bin/idle.sh" <<'EOF'
#!/bin/sh
exec sleep 100000
EOF
cat >"$work/bin/marked.sh" <<'EOF'
#!/bin/sh
# Announces its pid the moment it runs: the restart measure watches this file.
echo $$ >"$MARK"
exec sleep 100000
EOF
cat >"$work/bin/writer.sh" <<EOF
#!/bin/sh
exec $BT writer $LOG_LINES $LINE_LEN "\$STAMP"
EOF
chmod +x "$work"/bin/*.sh

# ---------------------------------------------------------------------------------------------
# Each supervisor: write_conf KIND N, start (daemon not running; starts the apps), list,
# online_count (reads list output on stdin), daemon_pid, start_app NAME, log_dir, stop, version.
# KIND: idle (N apps running idle.sh), marked (one app "rst" running marked.sh),
#       writer (N apps w1..wN running writer.sh, not started until asked, logs rotated at 10 MB).
# ---------------------------------------------------------------------------------------------

# sup
# sup (native); supjit is the same functions with the JIT binary and its own folder (bash's
# dynamic scope: the locals reach the sup_ functions they call).
SUP=$SUP_NATIVE sdir=$work/sup
sup_env() { export SUP_HOME=$sdir/home; }
sup_version() { sup_env; "$SUP" version 2>/dev/null | head -1 | awk '{print $3}'; }
sup_write_conf() {
    local kind=$1 n=$2 i f=$sdir/apps.yaml
    mkdir -p "$sdir/logs"
    echo "apps:" >"$f"
    case $kind in
    idle) for i in $(seq 1 "$n"); do echo "  - { name: app$i, script: $work/bin/idle.sh }" >>"$f"; done ;;
    marked) echo "  - { name: rst, script: $work/bin/marked.sh, min_uptime: 2s, env: { MARK: $sdir/rst.mark } }" >>"$f" ;;
    writer) for i in $(seq 1 "$n"); do
        echo "  - { name: w$i, script: $work/bin/writer.sh, autostart: false, autorestart: false, log_max_size: 10MB, log_retain: $((LOG_MB / 10 + 5)), out_file: $sdir/logs/w$i.out, env: { STAMP: $sdir/w$i.stamp } }" >>"$f"
    done ;;
    esac
}
sup_start() { sup_env; "$SUP" start "$sdir/apps.yaml" >/dev/null; }
sup_list() { sup_env; "$SUP" ls --json; }
sup_list_cmd() { echo "$SUP ls --json"; }
sup_online_count() { grep -o '"status":"online"' | wc -l; }
sup_daemon_pid() { cat "$sdir/home/sup.pid"; }
sup_start_app() { sup_env; "$SUP" restart "$1" >/dev/null; }
sup_mark() { echo "$sdir/rst.mark"; }
sup_stop() { sup_env; "$SUP" kill >/dev/null 2>&1 || true; }

for f in env version write_conf start list list_cmd online_count daemon_pid start_app mark stop; do
    eval "supjit_$f() { local SUP=\$SUP_JIT sdir=\$work/supjit; sup_$f \"\$@\"; }"
done

# PM2 (fork mode; the interpreter is given so PM2 runs the same `sh` as the others)
pm2_env() { export PM2_HOME=$work/pm2/home; }
pm2_version() { pm2_env; "$PM2" --version 2>/dev/null | tail -1; }
pm2_write_conf() {
    local kind=$1 n=$2 i sep="" f=$work/pm2/apps.json
    mkdir -p "$work/pm2/logs"
    {
        echo '{"apps":['
        case $kind in
        idle) for i in $(seq 1 "$n"); do
            printf '%s{"name":"app%s","script":"%s","interpreter":"/bin/sh","out_file":"%s","error_file":"%s"}\n' \
                "$sep" "$i" "$work/bin/idle.sh" "$work/pm2/logs/app$i.out" "$work/pm2/logs/app$i.err"
            sep=,
        done ;;
        marked) printf '{"name":"rst","script":"%s","interpreter":"/bin/sh","min_uptime":2000,"env":{"MARK":"%s"}}\n' \
            "$work/bin/marked.sh" "$work/pm2/rst.mark" ;;
        esac
        echo ']}'
    } >"$f"
}
pm2_start() { pm2_env; "$PM2" start "$work/pm2/apps.json" >/dev/null 2>&1; }
pm2_list() { pm2_env; "$PM2" jlist 2>/dev/null; }
pm2_list_cmd() { echo "$PM2 jlist"; }
pm2_online_count() { grep -o '"status":"online"' | wc -l; }
pm2_daemon_pid() { cat "$work/pm2/home/pm2.pid"; }
pm2_mark() { echo "$work/pm2/rst.mark"; }
pm2_stop() { pm2_env; "$PM2" kill >/dev/null 2>&1 || true; }

# supervisord (startsecs=0 where a start is timed, so RUNNING means started, as PM2's "online")
supervisord_env() { :; }
supervisord_conf() { echo "$work/supervisord/supervisord.conf"; }
supervisord_version() { supervisord --version 2>/dev/null; }
supervisord_write_conf() {
    local kind=$1 n=$2 i d=$work/supervisord f
    f=$(supervisord_conf)
    mkdir -p "$d/logs"
    cat >"$f" <<EOF
[unix_http_server]
file=$d/supervisor.sock
[supervisord]
logfile=$d/supervisord.log
pidfile=$d/supervisord.pid
childlogdir=$d/logs
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$d/supervisor.sock
EOF
    case $kind in
    idle) for i in $(seq 1 "$n"); do
        printf '[program:app%s]\ncommand=/bin/sh %s\nstartsecs=0\nstdout_logfile=%s\nstderr_logfile=%s\n' \
            "$i" "$work/bin/idle.sh" "$d/logs/app$i.out" "$d/logs/app$i.err" >>"$f"
    done ;;
    marked) printf '[program:rst]\ncommand=/bin/sh %s\nstartsecs=2\nenvironment=MARK="%s"\n' "$work/bin/marked.sh" "$d/rst.mark" >>"$f" ;;
    writer) for i in $(seq 1 "$n"); do
        printf '[program:w%s]\ncommand=/bin/sh %s\nautostart=false\nautorestart=false\nstartsecs=0\nstdout_logfile=%s\nstdout_logfile_maxbytes=10MB\nstdout_logfile_backups=%s\nenvironment=STAMP="%s"\n' \
            "$i" "$work/bin/writer.sh" "$d/logs/w$i.out" "$((LOG_MB / 10 + 5))" "$d/w$i.stamp" >>"$f"
    done ;;
    esac
}
supervisord_start() { supervisord -c "$(supervisord_conf)"; }
supervisord_list() { supervisorctl -c "$(supervisord_conf)" status 2>/dev/null || true; }
supervisord_list_cmd() { echo "supervisorctl -c $(supervisord_conf) status"; }
supervisord_online_count() { grep -c ' RUNNING ' || true; }
supervisord_daemon_pid() { cat "$work/supervisord/supervisord.pid"; }
supervisord_start_app() { supervisorctl -c "$(supervisord_conf)" start "$1" >/dev/null; }
supervisord_mark() { echo "$work/supervisord/rst.mark"; }
supervisord_stop() {
    local pid
    pid=$(cat "$work/supervisord/supervisord.pid" 2>/dev/null) || return 0
    supervisorctl -c "$(supervisord_conf)" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null
    wait_gone "$pid"
}

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
now_ms() { echo $(($(date +%s%N) / 1000000)); }

wait_gone() {
    local pid=$1 end=$(($(now_ms) + DEADLINE_S * 1000))
    while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt "$end" ]; do sleep 0.05; done
}

# wait_online PEER N: poll the peer's list command until N apps are online.
wait_online() {
    local p=$1 n=$2 end=$(($(now_ms) + DEADLINE_S * 1000)) got
    while [ "$(now_ms)" -lt "$end" ]; do
        got=$("${p}_list" | "${p}_online_count")
        [ "$got" -ge "$n" ] && return 0
    done
    log "$p: only $got of $n apps online after ${DEADLINE_S}s"
    return 1
}

fresh() { # fresh PEER: no daemon, empty home
    "${1}_stop" >/dev/null 2>&1 || true
    rm -rf "${work:?}/$1"
    mkdir -p "$work/$1"
}

# Samples are kept as lines "PEER MEASURE VALUE" in $work/samples.
record() { echo "$1 $2 $3" >>"$work/samples"; }

# time_list PEER COUNT: COUNT wall-clock timings (ms) of the peer's list command.
time_list() {
    local p=$1 count=$2 cmd i t0 t1
    "${p}_env" # exported, so the timed command is the bare CLI call
    cmd=$("${p}_list_cmd")
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 1 --runs "$count" --export-json "$work/hf.json" "$cmd" >/dev/null 2>&1
        tr -d ' \n' <"$work/hf.json" | grep -o '"times":\[[^]]*\]' | head -1 | tr -d '"times:[]' | tr ',' '\n' |
            awk '{ printf "%.1f\n", $1 * 1000 }' | while read -r v; do record "$p" list "$v"; done
    else
        for i in $(seq 1 "$count"); do
            t0=$(date +%s%N)
            $cmd >/dev/null 2>&1
            t1=$(date +%s%N)
            record "$p" list "$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')"
        done
    fi
}

# ---------------------------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------------------------

# Idle daemons: RSS with 10 apps (plus the list command's timings), and with 100 apps (plus the
# time from the start command, daemon not running, until the list command reports all online).
measure_idle() {
    local p=$1 n=$2 r t0 t1 pid per_run
    per_run=$(((LIST_RUNS + RUNS - 1) / RUNS))
    for r in $(seq 1 "$RUNS"); do
        fresh "$p"
        "${p}_write_conf" idle "$n"
        t0=$(date +%s%N)
        "${p}_start"
        wait_online "$p" "$n" || return 1
        t1=$(date +%s%N)
        [ "$n" = 100 ] && record "$p" start100 "$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')"
        pid=$("${p}_daemon_pid")
        sleep "$SETTLE"
        record "$p" "rss$n" "$(awk -v k="$($BT rsskb "$pid")" 'BEGIN { printf "%.1f", k / 1024 }')"
        record "$p" "threads$n" "$($BT threads "$pid")"
        [ "$n" = 10 ] && time_list "$p" "$per_run"
        "${p}_stop"
    done
}

# kill -9 of a long-running app (up > 2 s, so no supervisor treats the death as a failed start),
# then the time until the app's replacement has run its first line (it writes its pid to a file).
measure_restart() {
    local p=$1 r
    fresh "$p"
    "${p}_write_conf" marked 1
    "${p}_start"
    wait_online "$p" 1 || return 1
    for r in $(seq 1 "$RUNS"); do
        sleep 3
        record "$p" restart "$(awk -v us="$($BT restart "$("${p}_mark")" $((DEADLINE_S * 1000)))" 'BEGIN { printf "%.2f", us / 1000 }')"
    done
    "${p}_stop"
}

# LOG_MB of numbered lines through the supervisor into a log rotated at 10 MB: time from the
# writer's start until all bytes are in the files, the daemon's CPU time, lines lost.
measure_logs() {
    local p=$1 r pid c0 c1 end start lost dir=$work/$1/logs
    fresh "$p"
    "${p}_write_conf" writer "$RUNS"
    "${p}_start"
    sleep 1
    pid=$("${p}_daemon_pid")
    for r in $(seq 1 "$RUNS"); do
        c0=$($BT cputicks "$pid")
        "${p}_start_app" "w$r" &
        end=$($BT waitbytes "$LOG_BYTES" $((DEADLINE_S * 1000)) "$dir" "w$r.out") || { wait; return 1; }
        wait
        c1=$($BT cputicks "$pid")
        start=$(cat "$work/$p/w$r.stamp")
        record "$p" logmbs "$(awk -v b="$LOG_BYTES" -v d=$((end - start)) 'BEGIN { printf "%.0f", b / 1e6 / (d / 1e9) }')"
        record "$p" logcpu "$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')"
        lost=$($BT verify "$LOG_LINES" "$LINE_LEN" "$dir"/w"$r".out* | sed 's/ .*//; s/lost=//')
        record "$p" loglost "$lost"
        rm -f "$dir"/w"$r".out*
    done
    "${p}_stop"
}

# The same writer without a supervisor: piped through `cat > file` (what a log path that copies
# a pipe can reach), and redirected straight into the file (`> file`, the physical limit: no
# pipe, no copy). Recorded as "cat" and "direct".
measure_baselines() {
    local r dir=$work/baseline
    mkdir -p "$dir"
    for r in $(seq 1 "$RUNS"); do
        STAMP=$dir/stamp "$work/bin/writer.sh" | cat >"$dir/out" &
        baseline_sample cat "$dir" || return 1
        STAMP=$dir/stamp "$work/bin/writer.sh" >"$dir/out" &
        baseline_sample direct "$dir" || return 1
    done
}

baseline_sample() { # baseline_sample NAME DIR: waits for the writer started just before
    local name=$1 dir=$2 end start
    end=$($BT waitbytes "$LOG_BYTES" $((DEADLINE_S * 1000)) "$dir" out) || { wait; return 1; }
    wait
    start=$(cat "$dir/stamp")
    record "$name" logmbs "$(awk -v b="$LOG_BYTES" -v d=$((end - start)) 'BEGIN { printf "%.0f", b / 1e6 / (d / 1e9) }')"
    record "$name" loglost "$($BT verify "$LOG_LINES" "$LINE_LEN" "$dir/out" | sed 's/ .*//; s/lost=//')"
    rm -f "$dir/out"
}

# ---------------------------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------------------------
peers_run=()
[ "$have_native" = 1 ] && peers_run+=(sup)
[ "$have_jit" = 1 ] && peers_run+=(supjit)
# The sup the ratios are of: the native one when measured.
main_sup=sup
[ "$have_native" = 1 ] || main_sup=supjit
[ "$have_pm2" = 1 ] && peers_run+=(pm2)
[ "$have_supervisord" = 1 ] && peers_run+=(supervisord)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average before: $load_before (2-core machines are shared: quiet moments give steadier numbers)"
: >"$work/samples"
for p in "${peers_run[@]}"; do
    log "$p: 10 idle apps (RSS, list command)"
    measure_idle "$p" 10 || log "$p: idle-10 measure failed"
    log "$p: 100 idle apps (start until online, RSS)"
    measure_idle "$p" 100 || log "$p: idle-100 measure failed"
    log "$p: restart after kill -9"
    measure_restart "$p" || log "$p: restart measure failed"
    if [ "$p" != pm2 ]; then
        log "$p: ${LOG_MB} MB of log lines, rotated at 10 MB"
        measure_logs "$p" || log "$p: log measure failed"
    fi
done
log "cat > file and > file: ${LOG_MB} MB baselines"
measure_baselines
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
# stats PEER MEASURE -> "median min max n" (or nothing)
stats() {
    awk -v p="$1" -v m="$2" '$1 == p && $2 == m { print $3 }' "$work/samples" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) exit; med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print med, v[1], v[NR], NR }'
}
fmt() { # fmt VALUE DECIMALS
    awk -v v="$1" -v d="$2" 'BEGIN { s = sprintf("%." d "f", v); n = split(s, a, "."); i = a[1]; o = "";
        while (length(i) > 3) { o = "," substr(i, length(i) - 2) o; i = substr(i, 1, length(i) - 3) } print i o (n > 1 ? "." a[2] : "") }'
}
cell() { # cell PEER MEASURE DECIMALS UNIT
    local s
    s=$(stats "$1" "$2")
    [ -z "$s" ] && { echo "—"; return; }
    set -- $s "$3" "$4"
    echo "$(fmt "$1" "$5")${6:+ $6} ($(fmt "$2" "$5")–$(fmt "$3" "$5"))"
}
ratio() { # ratio MEASURE PEER
    local a b
    a=$(stats "$main_sup" "$1" | cut -d' ' -f1)
    b=$(stats "$2" "$1" | cut -d' ' -f1)
    { [ -z "$a" ] || [ -z "$b" ]; } && { echo "—"; return; }
    awk -v a="$a" -v b="$b" 'BEGIN { if (b == 0) print "—"; else printf "%.2f\n", a / b }'
}

rows=(
    "list|list command, 10 apps (ms)|1|ms|<= 10 ms"
    "rss10|daemon RSS, 10 apps idle (MB)|1|MB|<= 20 MB"
    "rss100|daemon RSS, 100 apps idle (MB)|1|MB|<= 24 MB"
    "threads100|daemon threads, 100 apps idle|0||"
    "start100|start 100 apps until all online (ms)|0|ms|<= 250 ms"
    "restart|restart after kill -9 (ms)|1|ms|<= 5 ms"
    "logmbs|log throughput, ${LOG_MB} MB, 10 MB rotation (MB/s)|0|MB/s|>= cat > file"
    "logcpu|daemon CPU for the log test (s)|2|s|"
    "loglost|lines lost in the log test|0||0"
)

table() {
    echo "| measure | sup (native) | sup (JIT) | PM2 | supervisord | \`cat > file\` | \`> file\` | sup/PM2 | sup/supervisord | target |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    local row key label dec unit target catcell directcell
    for row in "${rows[@]}"; do
        IFS='|' read -r key label dec unit target <<<"$row"
        catcell="" directcell=""
        case $key in logmbs | loglost)
            catcell=$(cell cat "$key" "$dec" "$unit")
            directcell=$(cell direct "$key" "$dec" "$unit")
            ;;
        esac
        echo "| $label | $(cell sup "$key" "$dec" "$unit") | $(cell supjit "$key" "$dec" "$unit") | $(cell pm2 "$key" "$dec" "$unit") | $(cell supervisord "$key" "$dec" "$unit") | ${catcell:-} | ${directcell:-} | $(ratio "$key" pm2) | $(ratio "$key" supervisord) | $target |"
    done
}

mem_total=$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1024 / 1024 }' /proc/meminfo)
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
versions="sup $(want sup && "${main_sup}_version" || echo -) ($([ "$have_native" = 1 ] && echo -n "native")$([ "$have_native$have_jit" = 11 ] && echo -n " and ")$([ "$have_jit" = 1 ] && echo -n "JIT")), .NET $(dotnet --list-runtimes 2>/dev/null | awk '/NETCore.App/ { v = $2 } END { print v }')"
[ "$have_pm2" = 1 ] && versions="$versions; PM2 $(pm2_version) on Node $(node --version)"
[ "$have_supervisord" = 1 ] && versions="$versions; supervisord $(supervisord_version) on $(python3 --version 2>&1)"
measure_tool=$(command -v hyperfine >/dev/null && hyperfine --version || echo "date +%s%N loop")
report=$(
    cat <<EOF
Last run: $(date -u '+%Y-%m-%d %H:%M UTC') — \`bench/run.sh $what\` — $(nproc) cores ($cpu_model), $mem_total RAM, $(. /etc/os-release && echo "$PRETTY_NAME").
Versions: $versions. Load average before/after: $load_before / $load_after.
Medians (min–max); $RUNS runs per measure, $LIST_RUNS timings of the list command ($measure_tool).
The ratio is sup's median ($([ "$main_sup" = sup ] && echo native || echo JIT)) over the peer's: below 1 is better for sup, except throughput (above 1).

$(table)
EOF
)
echo
echo "$report"

mkdir -p "$here/results"
cp "$work/samples" "$here/results/samples-$(date -u +%Y%m%dT%H%M%SZ)-$what.txt"
printf '%s\n' "$report" >"$here/results/last-$what.md"
if [ "${BENCH_NO_DOCS:-0}" != 1 ]; then
    printf '%s\n' "$report" >"$work/report.md"
    for doc in "$repo/docs/benchmarks.md" "$repo/README.md"; do
        [ -f "$doc" ] && grep -q '<!-- bench:begin -->' "$doc" || continue
        awk -v r="$work/report.md" '
            /<!-- bench:begin -->/ { print; while ((getline l < r) > 0) print l; close(r); skip = 1; next }
            /<!-- bench:end -->/ { skip = 0 }
            !skip { print }' "$doc" >"$work/doc.new" && cat "$work/doc.new" >"$doc"
        log "wrote the table into ${doc#"$repo"/}"
    done
fi
