#!/usr/bin/env bash
# KvmTime test lab: real Linux guests (TCG) under libvirt or plain QEMU.
#
#   lab.sh start [--guests N] [BOOT OPTIONS]    libvirt domains kvmtime-lab-1..N
#   lab.sh start-qemu [--guests N] [BOOT OPTIONS]  plain QEMU kvmtime-qemu-1..N
#                                                (agent socket usable directly)
#   lab.sh restart GUEST [BOOT OPTIONS]         power off, redefine, boot, wait
#   lab.sh reboot-from-config GUEST [--from default-grub|grub-cfg]
#                                               boot with the kernel arguments
#                                               the guest's own disk asks for
#   lab.sh ssh GUEST [COMMAND...]               run a command in a guest
#   lab.sh status                               what is running
#   lab.sh stop                                 end everything the lab started
#
# BOOT OPTIONS: --cmdline "ARGS" (default "console=ttyS0 panic=-1 quiet"),
#   --no-hpet, --hpet, --clock-xml "<clock ...>...</clock>" (libvirt only),
#   --guest-chrony (start chronyd in the guest at boot; new guests only).
# Work dir: $KVMTIME_LAB_DIR or <repo>/out/lab. Fixture: <work dir>/lab.json.
# KVMTIME_LAB_NAME (default kvmtime) names the guests; a second lab beside a
# running one needs its own name and work dir.
set -euo pipefail
LAB_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib
# shellcheck source=lib/common.sh
source "$LAB_LIB/common.sh"
# shellcheck source=lib/daemons.sh
source "$LAB_LIB/daemons.sh"
# shellcheck source=lib/guests.sh
source "$LAB_LIB/guests.sh"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

# Sets OPT_* only for the options given; the rest stays unset.
parse_opts() {
  while (($#)); do
    case $1 in
      --guests) OPT_GUESTS=${2:?--guests needs a number} && shift ;;
      --cmdline) OPT_CMDLINE=${2:?--cmdline needs a value} && shift ;;
      --no-hpet) OPT_NO_HPET=1 ;;
      --hpet) OPT_NO_HPET=0 OPT_CLOCK_XML= ;;
      --clock-xml) OPT_CLOCK_XML=${2:?--clock-xml needs a value} && shift ;;
      --guest-chrony) OPT_CHRONY=1 ;;
      --from) OPT_FROM=${2:?--from needs a value} && shift ;;
      -h | --help) usage ;;
      *) die "unknown option: $1" ;;
    esac
    shift
  done
  [[ ${OPT_GUESTS:-1} =~ ^[1-9][0-9]*$ ]] || die "--guests must be a positive number"
}

libvirt_up() { [[ -S /run/libvirt/libvirt-sock ]] && virsh -q -c "$LAB_URI" version >/dev/null 2>&1; }

running_guests() {
  local name
  for name in $(lab_guest_names); do
    load_guest "$name"
    [[ $G_KIND == "$1" && -n $(guest_qemu_pid) ]] && echo "$name"
  done
  return 0
}

write_fixture() {
  local all name tmp
  all=$(for name in $(lab_guest_names); do
    load_guest "$name"
    [[ -z $(guest_qemu_pid) ]] || guest_json
  done | jq -s .)
  if [[ $all == "[]" ]]; then
    rm -f "$LAB_FIXTURE"
    return
  fi
  tmp=$LAB_FIXTURE.tmp
  jq -n --argjson guests "$all" --argjson pids "$(started_pids_json)" \
    --arg dir "$LAB_DIR" --arg fixture "$LAB_FIXTURE" --arg uri "$LAB_URI" \
    --arg kver "$(cat "$LAB_IMAGE/kernel-version")" --arg image "$LAB_IMAGE" '{
      LabDir: $dir, FixturePath: $fixture, LibvirtUri: $uri,
      KernelVersion: $kver, Kernel: "\($image)/vmlinuz", Initrd: "\($image)/initrd.img",
      Ntp: { Host: "127.0.0.1", Port: 123, GuestAddress: "10.0.2.2", Pid: $pids.chronyd },
      Pids: ($pids + { qemu: [$guests[].QemuPid] }),
      Guests: [$guests[] | select(.Kind == "libvirt")],
      QemuGuests: [$guests[] | select(.Kind == "qemu")] }' >"$tmp"
  mv "$tmp" "$LAB_FIXTURE"
  log "fixture: $LAB_FIXTURE"
  echo "$LAB_FIXTURE"
}

# cmd_start KIND PREFIX [OPTIONS]
cmd_start() {
  local kind=$1 prefix=$2 i name names=() running
  shift 2
  parse_opts "$@"
  ensure_deps
  ensure_image
  running=$(running_guests "$kind")
  [[ -z $running ]] || die "already running: $running (run lab.sh stop first)"
  start_ntp
  if [[ $kind == libvirt ]]; then
    start_libvirt
    running=$(virsh -q -c "$LAB_URI" list --name | grep "^$prefix-" || true)
    [[ -z $running ]] || die "domains already running: $running (run lab.sh stop first)"
  fi
  rm -rf "$LAB_GUESTS/$prefix-"*
  for ((i = 1; i <= ${OPT_GUESTS:-1}; i++)); do
    name=$prefix-$i
    new_guest "$name" "$kind"
    boot_guest
    names+=("$name")
  done
  wait_ready "${names[@]}"
  write_fixture
}

# Power the guest off, apply G_* changes (done by the caller), boot, wait.
reboot_guest() {
  shutdown_guest
  save_guest
  [[ $G_KIND == libvirt ]] && start_libvirt
  boot_guest
  wait_ready "$G_NAME"
  write_fixture
}

cmd_restart() {
  local name=${1:?usage: lab.sh restart GUEST [BOOT OPTIONS]}
  shift
  parse_opts "$@"
  load_guest "$name"
  G_CMDLINE=${OPT_CMDLINE:-$G_CMDLINE}
  G_NO_HPET=${OPT_NO_HPET:-$G_NO_HPET}
  G_CLOCK_XML=${OPT_CLOCK_XML-$G_CLOCK_XML}
  reboot_guest
}

cmd_reboot_from_config() {
  local name=${1:?usage: lab.sh reboot-from-config GUEST [--from default-grub|grub-cfg]} args
  shift
  parse_opts "$@"
  load_guest "$name"
  shutdown_guest   # first, so the disk is clean before it is read
  args=$(configured_kernel_args "${OPT_FROM:-default-grub}")
  G_CMDLINE="$LAB_DEFAULT_CMDLINE_BASE${args:+ $args}"
  reboot_guest
}

cmd_stop() {
  local name dom
  for name in $(lab_guest_names); do
    load_guest "$name"
    [[ -n $(guest_qemu_pid) ]] && log "stopping $name"
    destroy_guest
  done
  if libvirt_up; then
    for dom in $(virsh -q -c "$LAB_URI" list --all --name | grep "^$LAB_NAME-lab-" || true); do
      virsh -q -c "$LAB_URI" destroy "$dom" >/dev/null 2>&1 || true
      virsh -q -c "$LAB_URI" undefine "$dom" >/dev/null
    done
  fi
  stop_daemons
  rm -f "$LAB_FIXTURE"
  rm -rf "$(socket_dir)"
  log "stopped"
}

cmd_status() {
  local name pid mark state
  for name in virtlogd libvirtd chronyd; do
    pid=$(pgrep -x "$name" | tr '\n' ' ' || true)
    mark=
    alive "$(cat "$(started_pidfile "$name")" 2>/dev/null || true)" "$name" && mark=" (started by the lab)"
    printf '%-10s %s\n' "$name" "${pid:-not running}$mark"
  done
  for name in $(lab_guest_names); do
    load_guest "$name"
    pid=$(guest_qemu_pid)
    state=${pid:+"running, qemu pid $pid"}
    printf '%-16s %-7s ssh 127.0.0.1:%s  %s  cmdline: %s\n' \
      "$name" "$G_KIND" "$G_PORT" "${state:-stopped}" "$G_CMDLINE"
  done
  if [[ -f $LAB_FIXTURE ]]; then echo "fixture: $LAB_FIXTURE"; else echo "fixture: none"; fi
}

cmd=${1:-}
(($#)) && shift
case $cmd in
  start) cmd_start libvirt "$LAB_NAME-lab" "$@" ;;
  start-qemu) cmd_start qemu "$LAB_NAME-qemu" "$@" ;;
  restart) cmd_restart "$@" ;;
  reboot-from-config) cmd_reboot_from_config "$@" ;;
  ssh) load_guest "${1:?usage: lab.sh ssh GUEST [COMMAND...]}" && shift && guest_ssh "$@" ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  *) usage ;;
esac
