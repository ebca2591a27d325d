# Shared settings and helpers for the KvmTime lab scripts (sourced, not run).
# Every path derives from this file's location, never from the cwd.

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_REPO=$(cd "$LAB_SRC/../.." && pwd)
LAB_DIR=${KVMTIME_LAB_DIR:-$LAB_REPO/out/lab}
LAB_IMAGE=$LAB_DIR/image
LAB_RUN=$LAB_DIR/run
LAB_GUESTS=$LAB_DIR/guests
LAB_FIXTURE=$LAB_DIR/lab.json
LAB_URI=qemu:///system
# Guests are NAME-lab-N (libvirt) and NAME-qemu-N; another name lets a second
# lab (with its own KVMTIME_LAB_DIR) run beside this one.
LAB_NAME=${KVMTIME_LAB_NAME:-kvmtime}
LAB_DEFAULT_CMDLINE_BASE="console=ttyS0 panic=-1"
LAB_DEFAULT_CMDLINE="$LAB_DEFAULT_CMDLINE_BASE quiet"
LAB_FIRST_PORT=22220
LAB_READY_TIMEOUT=${KVMTIME_LAB_READY_TIMEOUT:-90}

log() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

# Pid files for what the lab itself started live in $LAB_RUN/started/.
started_pidfile() { printf '%s/started/%s.pid' "$LAB_RUN" "$1"; }

# alive PID COMM: the process exists and its name is COMM (guards pid reuse).
alive() {
  [[ -n ${1:-} && -r /proc/$1/comm ]] && [[ $(<"/proc/$1/comm") == "$2"* ]]
}

# stop_pid PID COMM: TERM, wait up to 10 s, then KILL. Only that pid.
stop_pid() {
  local pid=$1 comm=$2 i
  alive "$pid" "$comm" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    alive "$pid" "$comm" || return 0
    sleep 0.1
  done
  log "$comm ($pid) ignored TERM; killing"
  kill -KILL "$pid" 2>/dev/null || true
}

# stop_started NAME COMM: stop a daemon the lab recorded as started by it.
stop_started() {
  local file pid
  file=$(started_pidfile "$1")
  [[ -f $file ]] || return 0
  pid=$(<"$file")
  if alive "$pid" "$2"; then
    log "stopping $1 (pid $pid)"
    stop_pid "$pid" "$2"
  fi
  rm -f "$file"
}

# Unix socket paths are limited to 107 bytes; fall back to /run for deep trees.
socket_dir() {
  local dir=$LAB_DIR/sock
  if ((${#dir} > 60)); then
    dir=/run/kvmtime-lab-$(printf '%s' "$LAB_DIR" | md5sum | cut -c1-8)
  fi
  printf '%s' "$dir"
}

ensure_deps() { "$LAB_SRC/install-deps.sh"; }

# Rebuild when missing or when the guest files or kernel changed.
ensure_image() {
  [[ -f $LAB_IMAGE/image.ok && $(<"$LAB_IMAGE/image.ok") == "$(image_fingerprint)" ]] ||
    "$LAB_SRC/build-image.sh"
}

# The newest kernel in /boot that has its modules installed.
lab_kernel_version() {
  local k v
  for k in $(printf '%s\n' /boot/vmlinuz-* | sort -V -r); do
    v=${k#/boot/vmlinuz-}
    [[ -d /lib/modules/$v ]] && { printf '%s' "$v"; return; }
  done
}

# What the image is built from: the guest files, the build script, the kernel.
image_fingerprint() {
  {
    lab_kernel_version
    (cd "$LAB_SRC" && find guest build-image.sh -type f | LC_ALL=C sort | xargs cat)
  } | sha256sum | cut -d' ' -f1
}
