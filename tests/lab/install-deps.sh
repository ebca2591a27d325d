#!/usr/bin/env bash
# Installs the Debian packages the KvmTime test lab needs. Idempotent: a fast
# no-op when everything is already installed; runs `apt-get update` once only
# when something is missing.
set -euo pipefail

PACKAGES=(
  qemu-system-x86 qemu-guest-agent qemu-utils
  busybox-static cpio gzip e2fsprogs
  openssh-server openssh-client
  linux-image-amd64
  libvirt-daemon-system libvirt-clients libvirt-daemon-driver-qemu
  chrony jq socat iproute2 procps
  perl
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps package scripts from starting services (there is no
# systemd here; the lab starts the daemons it needs itself).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  created_policy=1
fi
trap 'if ((created_policy)); then rm -f "$policy"; fi' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
