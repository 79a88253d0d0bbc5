#!/bin/sh
# bundle.sh OUT.tar.gz PROGRAM... : the upload bundle for shared hosting.
#
# One directory, oauth2-fcgi/, to upload as a site's document root:
#   .htaccess            plain CGI through mod_rewrite (bundle/htaccess)
#   cgi-bin/*.fcgi       the programs, run path $ORIGIN/lib
#   cgi-bin/lib/         every shared library they need but the C library
#                        (glibc's parts), each with run path $ORIGIN
#   static/              the pages' CSS, script and images
#   private/             oauth2-fcgi.conf to fill in, templates/, oauthctl
#                        (for hosts with a shell), never served
# Run from the top of the tree, after make; needs patchelf.
set -eu

out=$1
shift
command -v patchelf >/dev/null || {
	echo "bundle.sh: patchelf is missing (tools/deps.sh all)" >&2
	exit 1
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
top=$stage/oauth2-fcgi
mkdir -p "$top/cgi-bin/lib" "$top/private" "$top/static"

# glibc's own libraries stay the host's: they must match its ld.so.
is_libc() {
	case $1 in
	ld-linux*|libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|\
	libresolv.so*|libutil.so*|libanl.so*|libnsl.so*|linux-vdso*)
		return 0 ;;
	esac
	return 1
}

libs() {
	ldd "$1" | awk '/=> not found/ { print "MISSING " $1; next }
	    $2 == "=>" && $3 ~ /^\// { print $1, $3 }'
}

for bin in "$@" tools/oauthctl; do
	if libs "$bin" | grep MISSING >&2; then
		echo "bundle.sh: $bin needs a library that is not found" >&2
		exit 1
	fi
	libs "$bin" | while read -r soname path; do
		is_libc "$soname" && continue
		[ -e "$top/cgi-bin/lib/$soname" ] && continue
		cp -L "$path" "$top/cgi-bin/lib/$soname"
		chmod 644 "$top/cgi-bin/lib/$soname"
		patchelf --set-rpath '$ORIGIN' "$top/cgi-bin/lib/$soname"
	done
done

for bin in "$@"; do
	dst=$top/cgi-bin/$(basename "$bin")
	cp "$bin" "$dst"
	strip --strip-unneeded "$dst"
	patchelf --set-rpath '$ORIGIN/lib' "$dst"
	chmod 755 "$dst"
done
cp tools/oauthctl "$top/private/oauthctl"
strip --strip-unneeded "$top/private/oauthctl"
patchelf --set-rpath '$ORIGIN/../cgi-bin/lib' "$top/private/oauthctl"
chmod 755 "$top/private/oauthctl"

cp -R htdocs/static/. "$top/static/"
cp -R htdocs/templates "$top/private/templates"
cp bundle/htaccess "$top/.htaccess"
cp bundle/cgi-bin.htaccess "$top/cgi-bin/.htaccess"
cp bundle/deny.htaccess "$top/cgi-bin/lib/.htaccess"
cp bundle/deny.htaccess "$top/private/.htaccess"
cp bundle/oauth2-fcgi.conf "$top/private/oauth2-fcgi.conf"
cp README.md "$top/private/README.md"
find "$top" -type d -exec chmod 755 {} +
find "$top" -type f ! -perm -u+x -exec chmod 644 {} +

mkdir -p "$(dirname "$out")"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$out" oauth2-fcgi
echo "$out"
