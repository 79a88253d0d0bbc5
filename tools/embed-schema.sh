#!/bin/sh
# embed-schema.sh: turn schema/NNN_*.sql into a C table of migrations so
# that oauthctl carries its schema wherever it is installed.
set -eu
echo '/* generated from the schema directory by tools/embed-schema.sh */'
echo '#include "migrate.h"'
echo 'const struct migration migrations[] = {'
for f in "$@"; do
	v=$(basename "$f" .sql)
	printf '\t{ "%s",\n' "$v"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' \
	    -e 's/^/\t    "/' -e 's/$/\\n"/' "$f"
	printf '\t},\n'
done
printf '\t{ NULL, NULL }\n'
echo '};'
