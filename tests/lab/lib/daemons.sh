# Host daemons of the lab: virtlogd, libvirtd and an NTP server (chronyd).
# Each is started only when not already running, and recorded in
# $LAB_RUN/started/ so that `lab.sh stop` ends only what the lab started.

# start_daemon NAME PIDFILE CMD...: run CMD (which daemonizes and writes
# PIDFILE) unless a process called NAME already runs.
start_daemon() {
  local name=$1 pidfile=$2 i pid
  shift 2
  if pid=$(pgrep -x "$name" | head -n1) && [[ -n $pid ]]; then
    [[ $pid == "$(cat "$(started_pidfile "$name")" 2>/dev/null)" ]] ||
      log "$name already running (pid $pid); leaving it alone"
    return 0
  fi
  rm -f "$pidfile"
  "$@"
  for ((i = 0; i < 100; i++)); do
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if alive "$pid" "$name"; then
      echo "$pid" >"$(started_pidfile "$name")"
      log "started $name (pid $pid)"
      return 0
    fi
    sleep 0.1
  done
  die "$name did not start (no live pid in $pidfile)"
}

start_libvirt() {
  mkdir -p "$LAB_RUN/started"
  start_daemon virtlogd /run/virtlogd.pid virtlogd -d
  start_daemon libvirtd /run/libvirtd.pid libvirtd -d
  local i
  for ((i = 0; i < 300; i++)); do
    virsh -q -c "$LAB_URI" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "libvirtd does not answer on $LAB_URI"
}

# NTP server for the guests: QEMU user networking maps the guests' 10.0.2.2
# to the host's 127.0.0.1. -x: serve time, never touch this machine's clock.
start_ntp() {
  local dir=$LAB_RUN/chrony conf pid
  conf=$dir/chronyd.conf
  pid=$(cat "$(started_pidfile chronyd)" 2>/dev/null || true)
  alive "$pid" chronyd && return 0
  if [[ -n $(ss -Hlun 'sport = :123' 2>/dev/null) ]]; then
    log "UDP port 123 is already in use; not starting the lab's NTP server"
    return 0
  fi
  mkdir -p "$dir" "$LAB_RUN/started"
  chown _chrony:_chrony "$dir"
  chmod 0770 "$dir"
  cat >"$conf" <<CONF
port 123
bindaddress 127.0.0.1
bindaddress ::1
allow all
local stratum 8
cmdport 0
bindcmdaddress $dir/chronyd.sock
pidfile $dir/chronyd.pid
driftfile $dir/chronyd.drift
CONF
  start_daemon_or_warn chronyd "$dir/chronyd.pid" chronyd -x -f "$conf" -L 0 -l "$dir/chronyd.log"
}

start_daemon_or_warn() {
  (start_daemon "$@") || log "warning: $1 did not start; guests get no NTP server"
}

# Pids the lab started, as JSON: {"virtlogd":123,"libvirtd":null,...}.
started_pids_json() {
  local name pid args=()
  for name in virtlogd libvirtd chronyd; do
    pid=$(cat "$(started_pidfile "$name")" 2>/dev/null || true)
    alive "$pid" "$name" || pid=null
    args+=(--argjson "$name" "$pid")
  done
  jq -n "${args[@]}" '$ARGS.named'
}

stop_daemons() {
  stop_started chronyd chronyd
  stop_started libvirtd libvirtd
  stop_started virtlogd virtlogd
}
