# Lab guests: libvirt domains (kind "libvirt", kvmtime-lab-N) and plain QEMU
# processes (kind "qemu", kvmtime-qemu-N). Each guest has a folder
# $LAB_GUESTS/NAME holding guest.env (its settings), disk.img (its persistent
# disk), serial.log, known_hosts and, for libvirt, domain.xml.

QEMU_COMM=qemu-system-x86   # /proc/PID/comm of qemu-system-x86_64 (15 chars)

guest_dir() { printf '%s/%s' "$LAB_GUESTS" "$1"; }
agent_socket() { printf '%s/%s.agent' "$(socket_dir)" "$1"; }

# load_guest NAME: sets G_NAME G_KIND G_PORT G_CMDLINE G_NO_HPET G_CLOCK_XML G_CHRONY.
load_guest() {
  local env
  env=$(guest_dir "$1")/guest.env
  [[ -f $env ]] || die "no lab guest '$1' (see: lab.sh status)"
  # shellcheck source=/dev/null
  source "$env"
}

save_guest() {
  local var
  for var in G_NAME G_KIND G_PORT G_CMDLINE G_NO_HPET G_CLOCK_XML G_CHRONY; do
    printf '%s=%q\n' "$var" "${!var}"
  done >"$(guest_dir "$G_NAME")/guest.env"
}

lab_guest_names() {
  local env
  for env in "$LAB_GUESTS"/*/guest.env; do
    [[ -f $env ]] && basename "$(dirname "$env")"
  done
  return 0
}

# A free TCP port from $LAB_FIRST_PORT on, not used by another lab guest.
pick_port() {
  local port taken=" " name
  for name in $(lab_guest_names); do
    taken+="$(sed -n 's/^G_PORT=//p' "$(guest_dir "$name")/guest.env") "
  done
  for ((port = LAB_FIRST_PORT; port < LAB_FIRST_PORT + 200; port++)); do
    [[ $taken == *" $port "* ]] && continue
    [[ -z $(ss -Hltn "sport = :$port" 2>/dev/null) ]] && { echo "$port"; return; }
  done
  die "no free TCP port from $LAB_FIRST_PORT on"
}

# new_guest NAME KIND: a fresh folder, port, persistent disk and known_hosts.
# Boot options come from OPT_CMDLINE, OPT_NO_HPET, OPT_CLOCK_XML, OPT_CHRONY.
new_guest() {
  local dir seed
  dir=$(guest_dir "$1")
  rm -rf "$dir"
  mkdir -p "$dir" "$(socket_dir)"
  G_NAME=$1 G_KIND=$2 G_PORT=$(pick_port)
  G_CMDLINE=${OPT_CMDLINE:-$LAB_DEFAULT_CMDLINE} G_NO_HPET=${OPT_NO_HPET:-0}
  G_CLOCK_XML=${OPT_CLOCK_XML:-} G_CHRONY=${OPT_CHRONY:-0}
  save_guest

  seed=$(mktemp -d "$LAB_DIR/seed.XXXXXX")
  cp -a "$LAB_IMAGE/persist/." "$seed/"
  printf 'LAB_HOSTNAME=%s\nLAB_START_CHRONYD=%s\n' "$G_NAME" "$G_CHRONY" >"$seed/lab.conf"
  mke2fs -q -F -t ext2 -L kvmtime-persist -d "$seed" "$dir/disk.img" 16M >/dev/null
  rm -rf "$seed"

  printf '[127.0.0.1]:%s %s\n' "$G_PORT" \
    "$(cut -d' ' -f1,2 "$LAB_IMAGE/keys/ssh_host_ed25519_key.pub")" >"$dir/known_hosts"
}

xml_escape() {
  local s=${1//&/&amp;}
  s=${s//</&lt;}
  s=${s//>/&gt;}
  s=${s//\'/&apos;}
  printf '%s' "${s//\"/&quot;}"
}

domain_xml() {
  local dir clock
  dir=$(guest_dir "$G_NAME")
  clock=${G_CLOCK_XML:-"<clock offset='utc'/>"}
  if [[ -z $G_CLOCK_XML && $G_NO_HPET == 1 ]]; then
    clock="<clock offset='utc'><timer name='hpet' present='no'/></clock>"
  fi
  cat <<XML
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>$G_NAME</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$LAB_IMAGE/vmlinuz</kernel>
    <initrd>$LAB_IMAGE/initrd.img</initrd>
    <cmdline>$(xml_escape "$G_CMDLINE")</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <cpu mode='maximum' migratable='off'/>
  $clock
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$dir/disk.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'>
      <source path='$dir/serial.log' append='on'/>
      <target port='0'/>
    </serial>
    <channel type='unix'>
      <source mode='bind' path='$(agent_socket "$G_NAME")'/>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
    </channel>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-netdev'/>
    <qemu:arg value='user,id=n0,hostfwd=tcp:127.0.0.1:$G_PORT-:22'/>
    <qemu:arg value='-device'/>
    <qemu:arg value='virtio-net-pci,netdev=n0,addr=0x10'/>
  </qemu:commandline>
</domain>
XML
}

boot_guest() {
  local dir sock
  dir=$(guest_dir "$G_NAME")
  sock=$(agent_socket "$G_NAME")
  rm -f "$sock"
  if [[ $G_KIND == libvirt ]]; then
    domain_xml >"$dir/domain.xml"
    # A new definition without the old uuid: undefine the shut-off one first.
    virsh -q -c "$LAB_URI" undefine "$G_NAME" >/dev/null 2>&1 || true
    virsh -q -c "$LAB_URI" define "$dir/domain.xml" >/dev/null
    virsh -q -c "$LAB_URI" start "$G_NAME" >/dev/null
  else
    [[ -z $G_CLOCK_XML ]] || die "--clock-xml is for libvirt guests; use --no-hpet"
    local machine=pc
    [[ $G_NO_HPET == 1 ]] && machine=pc,hpet=off
    qemu-system-x86_64 -name "$G_NAME" -machine "$machine" -accel tcg -cpu max -m 512 \
      -display none -no-reboot -daemonize -pidfile "$dir/qemu.pid" \
      -chardev "file,id=ser0,path=$dir/serial.log,append=on" -serial chardev:ser0 \
      -kernel "$LAB_IMAGE/vmlinuz" -initrd "$LAB_IMAGE/initrd.img" -append "$G_CMDLINE" \
      -drive "file=$dir/disk.img,format=raw,if=virtio" \
      -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$G_PORT-:22" -device virtio-net-pci,netdev=n0 \
      -chardev "socket,id=qga0,path=$sock,server=on,wait=off" \
      -device virtio-serial -device virtserialport,chardev=qga0,name=org.qemu.guest_agent.0
  fi
  log "booting $G_NAME (ssh 127.0.0.1:$G_PORT, cmdline: $G_CMDLINE)"
}

# The QEMU process of the loaded guest, or nothing.
guest_qemu_pid() {
  local pidfile pid
  pidfile=$(guest_dir "$G_NAME")/qemu.pid
  [[ $G_KIND == libvirt ]] && pidfile=/run/libvirt/qemu/$G_NAME.pid
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if alive "$pid" "$QEMU_COMM"; then echo "$pid"; fi
}

guest_ssh_args() {
  local dir
  dir=$(guest_dir "$G_NAME")
  printf '%s\n' -i "$LAB_IMAGE/keys/client_ed25519" -o "UserKnownHostsFile=$dir/known_hosts" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=30 -o LogLevel=ERROR \
    -p "$G_PORT" root@127.0.0.1
}

guest_ssh() {
  local args
  mapfile -t args < <(guest_ssh_args)
  ssh "${args[@]}" "$@"
}

# One guest-ping through the agent: via libvirt, or straight to the socket.
agent_ping() {
  local ping='{"execute":"guest-ping"}' reply=
  if [[ $G_KIND == libvirt ]]; then
    virsh -q -c "$LAB_URI" qemu-agent-command "$G_NAME" "$ping" --timeout 5 >/dev/null 2>&1
    return
  fi
  coproc AGENT { socat - "UNIX-CONNECT:$(agent_socket "$G_NAME")" 2>/dev/null; }
  { printf '%s\n' "$ping" >&"${AGENT[1]}"; } 2>/dev/null || true
  read -r -t 5 reply <&"${AGENT[0]}" 2>/dev/null || true
  kill "$AGENT_PID" 2>/dev/null || true
  wait "$AGENT_PID" 2>/dev/null || true
  [[ $reply == *'"return"'* ]]
}

serial_tail() {
  echo "---- last lines of $(guest_dir "$1")/serial.log ----" >&2
  tail -n 25 "$(guest_dir "$1")/serial.log" >&2 2>/dev/null || true
}

# ssh_banner SECONDS: true once sshd in the guest sends its banner. QEMU's
# port forward accepts at once, even before the guest's network is up, and
# such a connection hangs: the probe gives up after SECONDS.
ssh_banner() {
  timeout "$1" bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 4 <&3' _ "$G_PORT" 2>/dev/null |
    grep -q '^SSH-'
}

# wait_ready NAME...: poll until ssh and the guest agent both answer.
wait_ready() {
  local start=$SECONDS name pending=("$@") left
  # Per guest, the banner probe waits 1 s longer after each miss (up to 15 s):
  # short while the guest boots, long enough for sshd on a loaded machine.
  local -A misses=()
  while ((${#pending[@]})); do
    left=()
    for name in "${pending[@]}"; do
      load_guest "$name"
      if [[ -z $(guest_qemu_pid) ]]; then
        serial_tail "$name"
        die "$name stopped while booting"
      fi
      if ssh_banner $((${misses[$name]:-0} > 13 ? 15 : ${misses[$name]:-0} + 2)) &&
        guest_ssh -n true >/dev/null 2>&1 && agent_ping; then
        log "$name ready after $((SECONDS - start)) s"
      else
        misses[$name]=$((${misses[$name]:-0} + 1))
        left+=("$name")
      fi
    done
    pending=("${left[@]}")
    ((${#pending[@]})) || break
    if ((SECONDS - start >= LAB_READY_TIMEOUT)); then
      for name in "${pending[@]}"; do serial_tail "$name"; done
      die "not ready after ${LAB_READY_TIMEOUT} s (ssh + guest agent): ${pending[*]}; lab.sh stop cleans up"
    fi
    sleep 0.2
  done
}

# shutdown_guest: clean poweroff over ssh (the guest unmounts its disk), then
# force after 30 s.
shutdown_guest() {
  local i pid
  pid=$(guest_qemu_pid)
  [[ -n $pid ]] || return 0
  guest_ssh -n poweroff >/dev/null 2>&1 || log "$G_NAME: ssh poweroff failed"
  for ((i = 0; i < 300; i++)); do
    alive "$pid" "$QEMU_COMM" || break
    sleep 0.1
  done
  if alive "$pid" "$QEMU_COMM"; then
    log "$G_NAME did not power off; forcing (its disk may be unclean)"
    destroy_guest
  fi
  if [[ $G_KIND == libvirt ]]; then
    for ((i = 0; i < 100; i++)); do
      [[ $(virsh -q -c "$LAB_URI" domstate "$G_NAME" 2>/dev/null) == "shut off" ]] && break
      sleep 0.1
    done
  fi
}

destroy_guest() {
  local pid
  pid=$(guest_qemu_pid)
  if [[ $G_KIND == libvirt ]]; then
    virsh -q -c "$LAB_URI" destroy "$G_NAME" >/dev/null 2>&1 || true
  fi
  [[ -n $pid ]] && stop_pid "$pid" "$QEMU_COMM"
  rm -f "$(agent_socket "$G_NAME")"
}

# The kernel arguments the guest's boot configuration asks for, read from its
# persistent disk without mounting it. FROM: default-grub (what update-grub
# would compute from /etc/default/grub) or grub-cfg (/boot/grub/grub.cfg).
configured_kernel_args() {
  local from=$1 disk tmp args
  disk=$(guest_dir "$G_NAME")/disk.img
  tmp=$(mktemp -d "$LAB_DIR/grub.XXXXXX")
  case $from in
    default-grub)
      debugfs -R "rdump /default $tmp" "$disk" 2>/dev/null
      [[ -f $tmp/default/grub ]] || die "no /etc/default/grub on $G_NAME's disk"
      # grub-mkconfig sources the file (then grub.d/*.cfg) in a shell.
      args=$(env -i PATH=/usr/bin:/bin bash --noprofile --norc -c '
        . "$1/grub"
        for f in "$1"/grub.d/*.cfg; do if [ -e "$f" ]; then . "$f"; fi; done
        printf "%s %s" "$GRUB_CMDLINE_LINUX" "$GRUB_CMDLINE_LINUX_DEFAULT"' _ "$tmp/default")
      ;;
    grub-cfg)
      args=$(debugfs -R 'cat /grub/grub.cfg' "$disk" 2>/dev/null |
        awk '$1 == "linux" { for (i = 3; i <= NF; i++) if ($i !~ /^root=/ && $i != "ro") printf "%s ", $i; exit }')
      ;;
    *) die "--from must be default-grub or grub-cfg" ;;
  esac
  rm -rf "$tmp"
  printf '%s' "$args" | tr -s ' \t' '  ' | sed 's/^ //; s/ $//'
}

guest_json() {
  local dir pid direct=false domain=$G_NAME uri=$LAB_URI
  dir=$(guest_dir "$G_NAME")
  pid=$(guest_qemu_pid)
  if [[ $G_KIND == qemu ]]; then direct=true domain='' uri=''; fi
  jq -n --arg name "$G_NAME" --arg kind "$G_KIND" --arg domain "$domain" \
    --argjson port "$G_PORT" --arg key "$LAB_IMAGE/keys/client_ed25519" \
    --arg kh "$dir/known_hosts" --arg uri "$uri" --arg sock "$(agent_socket "$G_NAME")" \
    --argjson direct "$direct" --arg serial "$dir/serial.log" --arg disk "$dir/disk.img" \
    --arg cmdline "$G_CMDLINE" --argjson pid "${pid:-null}" --arg chrony "$G_CHRONY" '{
      Name: $name, Kind: $kind, Domain: (if $domain == "" then null else $domain end),
      SshHost: "127.0.0.1", SshPort: $port, UserName: "root",
      KeyFilePath: $key, KnownHostsPath: $kh,
      LibvirtUri: (if $uri == "" then null else $uri end), AgentSocket: $sock, AgentSocketDirect: $direct,
      SerialLog: $serial, PersistentDisk: $disk, KernelCmdline: $cmdline, QemuPid: $pid,
      GuestChronyd: ($chrony == "1") }'
}
