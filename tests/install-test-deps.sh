#!/usr/bin/env bash
# Debian packages the Pester suite needs on a fresh machine: a real sshd and ssh client for the
# SSH and PowerShell-remoting tests, and sudo for the non-root -UseSudo tests. Idempotent.
set -euo pipefail
packages=(openssh-server openssh-client sudo)
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
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
