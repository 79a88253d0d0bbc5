#!/bin/bash
# tools/deps.sh: make sure the Debian packages listed in
# tools/debian-packages are installed.
#
#   tools/deps.sh run    packages for building and `make run`
#   tools/deps.sh all    those plus the test suite's (.ci/run)
#
# As root, installs what is missing with apt-get.  As another user, prints
# the apt-get command to run and exits 1 when anything is missing.
# Services that Debian's packages would start on installation (the system
# PostgreSQL cluster, Apache and lighttpd on port 80) are kept from
# starting: the project runs private instances of its own.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
list=$here/debian-packages
what=${1:-all}

case $what in
run) wanted=$(awk '!/^#/ && NF && $2 != "test" { print $1 }' "$list") ;;
all) wanted=$(awk '!/^#/ && NF { print $1 }' "$list") ;;
*)   echo "usage: $0 run|all" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null; then
	echo "deps.sh: not a Debian system; install the equivalents of:" $wanted >&2
	exit 0
fi

missing=()
for pkg in $wanted; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing Debian packages; install them with:" >&2
	echo "  sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi

echo "deps.sh: installing ${missing[*]}"
# policy-rc.d exit 101 = "do not start services" (invoke-rc.d and
# deb-systemd-invoke both honour it); only ours is removed afterwards.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	own_policy=1
	trap 'rm -f "$policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
[ -z "$own_policy" ] || rm -f "$policy"
