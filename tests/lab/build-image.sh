#!/usr/bin/env bash
# Builds the KvmTime lab guest from this machine's own Debian packages:
#   image/vmlinuz, image/initrd.img   kernel (copied out of /boot) and initramfs
#   image/persist/                    seed of each guest's persistent disk
#   image/keys/                       sshd host key, client key, authorized_keys
# into $KVMTIME_LAB_DIR (default <repo>/out/lab). Usage: build-image.sh [--force]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

[[ ${1:-} == --force ]] && rm -f "$LAB_IMAGE/image.ok"
ensure_deps
mkdir -p "$LAB_IMAGE/keys"

KVER=$(lab_kernel_version)
[[ -n $KVER ]] || die "no /boot/vmlinuz-* with modules in /lib/modules (install linux-image-amd64)"
log "building guest image for kernel $KVER in $LAB_IMAGE"

stage=$(mktemp -d "$LAB_DIR/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# Debian 12 layout: /bin, /sbin, /lib, /lib64 are links into /usr.
mkdir -p "$stage"/usr/{bin,sbin,lib,lib64}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$stage/$d"; done
mkdir -p "$stage"/{proc,sys,dev,run,tmp,persist,root/.ssh,etc/kernel,var/lib/chrony,var/log,boot/grub}
ln -s ../run "$stage/var/run"   # qemu-ga needs /var/run

# copy_file SRC: copy to the same path in the image, with /lib etc. resolved into /usr.
copy_file() {
  local src=$1 dir
  dir=$(readlink -f "$(dirname "$src")")
  mkdir -p "$stage$dir"
  cp -L "$src" "$stage$dir/$(basename "$src")"
}

# copy_program PATH: the binary plus every library ldd lists for it.
copy_program() {
  local lib
  copy_file "$1"
  while read -r lib; do
    copy_file "$lib"
  done < <(ldd "$1" | awk '/=> \//{print $3} /^\t\//{print $1}')
}

cp /bin/busybox "$stage/usr/bin/busybox"
while read -r applet; do
  applet=${applet#usr/}
  [[ -e $stage/usr/$applet || -L $stage/usr/$applet ]] || ln -s /usr/bin/busybox "$stage/usr/$applet"
done < <(/bin/busybox --list-full)

for prog in /usr/sbin/sshd /usr/sbin/qemu-ga /usr/sbin/chronyd /usr/bin/chronyc /bin/bash; do
  copy_program "$prog"
done

# perl, so that Measure-ClocksourceCost can measure clock reads over SSH: the interpreter and
# exactly the modules its loop loads, at the paths this perl's @INC names.
copy_program /usr/bin/perl
while read -r file; do
  mkdir -p "$stage$(dirname "$file")"
  cp -L "$file" "$stage$file"
done < <(perl -Mstrict -Mwarnings -MPOSIX -MTime::HiRes -e 'print "$_\n" for values %INC, @DynaLoader::dl_shared_objects')

while read -r mod; do
  [[ -z $mod || $mod == \#* ]] && continue
  [[ -f /lib/modules/$KVER/$mod ]] || die "module $mod missing for $KVER"
  copy_file "/lib/modules/$KVER/$mod"
done <"$LAB_SRC/guest/rootfs/etc/kvmtime-lab/modules"

cp -a "$LAB_SRC/guest/rootfs/." "$stage/"
cp -L /etc/os-release "$stage/etc/os-release"

# Keys are made once and kept, so known_hosts stays valid across rebuilds.
keys=$LAB_IMAGE/keys
[[ -f $keys/ssh_host_ed25519_key ]] ||
  ssh-keygen -q -t ed25519 -N '' -C kvmtime-lab-host -f "$keys/ssh_host_ed25519_key"
[[ -f $keys/client_ed25519 ]] ||
  ssh-keygen -q -t ed25519 -N '' -C kvmtime-lab-client -f "$keys/client_ed25519"
chmod 600 "$keys/client_ed25519" "$keys/ssh_host_ed25519_key"
cp "$keys/client_ed25519.pub" "$keys/authorized_keys"
install -m 600 "$keys/ssh_host_ed25519_key" "$stage/etc/ssh/ssh_host_ed25519_key"
install -m 644 "$keys/ssh_host_ed25519_key.pub" "$stage/etc/ssh/ssh_host_ed25519_key.pub"
install -m 600 "$keys/authorized_keys" "$stage/root/.ssh/authorized_keys"
chmod 700 "$stage/root" "$stage/root/.ssh"

# grub.cfg as the guest's own update-grub would write it, then the seed of
# the persistent disk: the directories listed in persist.map.
GRUB_DEFAULT_FILE=$stage/etc/default/grub GRUB_CFG=$stage/boot/grub/grub.cfg KVER=$KVER \
  sh "$stage/usr/sbin/update-grub" 2>/dev/null
rm -f "$stage/boot/grub/update-grub.log"
rm -rf "$LAB_IMAGE/persist.new"
mkdir -p "$LAB_IMAGE/persist.new"
while read -r name target; do
  [[ -z $name || $name == \#* ]] && continue
  cp -a "$stage/$target" "$LAB_IMAGE/persist.new/$name"
done <"$LAB_SRC/guest/rootfs/etc/kvmtime-lab/persist.map"

(cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
  cpio --null -o -H newc -R 0:0 --quiet) | gzip -6 >"$LAB_IMAGE/initrd.img.new"
cp "/boot/vmlinuz-$KVER" "$LAB_IMAGE/vmlinuz.new"

rm -rf "$LAB_IMAGE/persist"
mv "$LAB_IMAGE/persist.new" "$LAB_IMAGE/persist"
mv "$LAB_IMAGE/initrd.img.new" "$LAB_IMAGE/initrd.img"
mv "$LAB_IMAGE/vmlinuz.new" "$LAB_IMAGE/vmlinuz"
echo "$KVER" >"$LAB_IMAGE/kernel-version"
image_fingerprint >"$LAB_IMAGE/image.ok"
log "image ready: $(du -h "$LAB_IMAGE/initrd.img" | cut -f1) initramfs, kernel $KVER"
