#!/usr/bin/env bash
# Debian packages the Pester suite needs on a fresh machine: a real sshd and ssh client for the
# SSH and PowerShell-remoting tests, sudo for the non-root -UseSudo tests, and node_exporter for
# the Export-KvmTimeMetric tests (they start their own on a free loopback port). Idempotent.
set -euo pipefail
packages=(openssh-server openssh-client sudo prometheus-node-exporter)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "install-test-deps: need root to install: ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # node_exporter's own service would hold port 9100 on a build machine: while installing, a
    # policy-rc.d (Debian's way, only when none is in place) keeps that one service from starting.
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\ncase "$1" in prometheus-node-exporter*) exit 101 ;; esac\nexit 0\n' >"$policy"
        chmod 755 "$policy"
        trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [[ " ${missing[*]} " == *" prometheus-node-exporter "* ]]; then
        # ... and it does not start at boot either (systemctl edits the links without a running systemd).
        systemctl disable prometheus-node-exporter.service >/dev/null 2>&1 || true
        update-rc.d prometheus-node-exporter disable >/dev/null 2>&1 || true
    fi
fi
