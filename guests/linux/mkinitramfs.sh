#!/bin/sh
# Builds the initramfs images jvisor and QEMU boot Debian's kernel with:
#   build/tiny.cpio.gz    /init = init.c (system calls only: no floating point, vectors or libc)
#   build/shell.cpio.gz   /init = a script that mounts proc and devtmpfs and starts busybox's shell
#                         on the console (needs build/busybox: fetch.sh)
#   build/script.cpio.gz  /init = the same set-up, then runs script.sh (the shell commands the
#                         Linux boot test compares between jvisor and QEMU) and powers off
# Needs powerpc64le-linux-gnu-gcc and cpio.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/build
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/tiny/dev"
powerpc64le-linux-gnu-gcc -static -nostdlib -ffreestanding -fno-builtin -msoft-float -mno-altivec -mno-vsx \
  -O2 -Wall -o "$tmp/tiny/init" "$here/init.c"
( cd "$tmp/tiny" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) | gzip -n > "$out/tiny.cpio.gz"

if [ -f "$out/busybox" ]; then
  mkdir -p "$tmp/shell/bin" "$tmp/shell/proc" "$tmp/shell/dev" "$tmp/shell/sys" "$tmp/shell/tmp"
  cp "$out/busybox" "$tmp/shell/bin/busybox"
  cat > "$tmp/shell/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t devtmpfs dev /dev
mount -t sysfs sys /sys
echo "init: busybox shell on the console; 'poweroff -f' ends the machine"
exec setsid cttyhack sh -l
INIT
  chmod +x "$tmp/shell/init"
  ( cd "$tmp/shell" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) | gzip -n > "$out/shell.cpio.gz"

  cp -a "$tmp/shell" "$tmp/script"
  cp "$here/script.sh" "$tmp/script/script.sh"
  cat > "$tmp/script/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t devtmpfs dev /dev
mount -t sysfs sys /sys
sh /script.sh
poweroff -f
INIT
  chmod +x "$tmp/script/init"
  ( cd "$tmp/script" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) | gzip -n > "$out/script.cpio.gz"
fi
ls "$out"/*.cpio.gz
