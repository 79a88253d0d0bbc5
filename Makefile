# oauth2-fcgi: one non-recursive Makefile.
#   make            programs in cgi-bin/ and tools/
#   make SAN=1      the same with ASan+UBSan under san/
#   make run | test | bench | fuzz | install | dist | bundle | clean

VERSION		= 0.1.0
PREFIX		?= /usr/local
DESTDIR		?=
LIBEXECDIR	?= $(PREFIX)/lib/oauth2-fcgi
SBINDIR		?= $(PREFIX)/sbin
SHAREDIR	?= $(PREFIX)/share/oauth2-fcgi
DOCDIR		?= $(PREFIX)/share/doc/oauth2-fcgi
# The programs' sockets under nginx (spawn-fcgi or systemd), and where
# `make install` puts the systemd units: nowhere unless given, e.g.
# SYSTEMD_UNITDIR=/etc/systemd/system.
SOCKDIR		?= /run/oauth2-fcgi
SYSTEMD_UNITDIR	?=
V		?= 0
SAN		?= 0

ifeq ($(V),0)
Q		= @
else
Q		=
endif

ifeq ($(SAN),1)
OUT		= san
SAN_CFLAGS	= -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=undefined
SAN_LDFLAGS	= -fsanitize=address,undefined
OPT		= -O1 -g
HARDEN		=
else
OUT		= .
SAN_CFLAGS	=
SAN_LDFLAGS	=
OPT		= -O2 -g
HARDEN		= -D_FORTIFY_SOURCE=2
endif
OBJ		= build/$(if $(filter 1,$(SAN)),san,std)

PKGS		= libpq json-c libgcrypt libcrypto
PKG_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	:= $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN_CFLAGS	= -Wall -Wextra -Werror -pedantic -std=c11 \
		  -Wstrict-prototypes -Wmissing-prototypes \
		  -Wmissing-declarations -Wshadow -Wpointer-arith \
		  -Wcast-qual -Wformat=2 -Wvla -Werror=format-security
HARDEN_CFLAGS	= $(HARDEN) -fstack-protector-strong -fPIE
FINAL_CFLAGS	= $(OPT) $(WARN_CFLAGS) $(HARDEN_CFLAGS) $(SAN_CFLAGS) \
		  -D_GNU_SOURCE -Icommon $(PKG_CFLAGS) $(CFLAGS) -MMD -MP \
		  -DOAUTH_TEMPLATE_DIR='"$(SHAREDIR)/htdocs/templates"'
# -u pulls common/gnutls_skip.c out of the library into every program,
# --export-dynamic-symbol lets GnuTLS find it there.
FINAL_LDFLAGS	= -pie -Wl,-z,relro -Wl,-z,now \
		  -Wl,-u,_gnutls_global_init_skip \
		  -Wl,--export-dynamic-symbol=_gnutls_global_init_skip \
		  $(SAN_LDFLAGS) $(LDFLAGS)
FINAL_LIBS	= -lfcgi $(PKG_LIBS)

COMMON_OBJ_NAMES += arena.o
COMMON_OBJ_NAMES += str.o
COMMON_OBJ_NAMES += urlenc.o
COMMON_OBJ_NAMES += form.o
COMMON_OBJ_NAMES += header.o
COMMON_OBJ_NAMES += request.o
COMMON_OBJ_NAMES += response.o
COMMON_OBJ_NAMES += oerror.o
COMMON_OBJ_NAMES += config.o
COMMON_OBJ_NAMES += html.o
COMMON_OBJ_NAMES += template.o
COMMON_OBJ_NAMES += json.o
COMMON_OBJ_NAMES += b64.o
COMMON_OBJ_NAMES += crypto.o
COMMON_OBJ_NAMES += password.o
COMMON_OBJ_NAMES += pkce.o
COMMON_OBJ_NAMES += scope.o
COMMON_OBJ_NAMES += redirect_uri.o
COMMON_OBJ_NAMES += openid.o
COMMON_OBJ_NAMES += db.o
COMMON_OBJ_NAMES += fcgi_loop.o
COMMON_OBJ_NAMES += page.o
COMMON_OBJ_NAMES += gnutls_skip.o
COMMON_OBJ_NAMES += store_util.o
COMMON_OBJ_NAMES += store_digest.o
COMMON_OBJ_NAMES += store_client.o
COMMON_OBJ_NAMES += store_user.o
COMMON_OBJ_NAMES += store_code.o
COMMON_OBJ_NAMES += store_token.o
COMMON_OBJ_NAMES += store_session.o
COMMON_OBJ_NAMES += store_consent.o
COMMON_OBJ_NAMES += clientauth.o
COMMON_OBJ_NAMES += session.o
COMMON_OBJ_NAMES += csrf.o
COMMON_OBJ_NAMES += resource.o
COMMON_OBJ_NAMES += cors.o
COMMON_OBJ_NAMES += login.o
COMMON_OBJ_NAMES += grant.o
COMMON_OBJ_NAMES += authreq.o
COMMON_OBJ_NAMES += consent.o
COMMON_OBJ_NAMES += token_grant.o
COMMON_OBJ_NAMES += migrate.o
COMMON_OBJ_NAMES += console.o
COMMON_OBJ_NAMES += store_console.o
COMMON_OBJ_NAMES += purge.o
COMMON_OBJ_NAMES += console_setup.o
COMMON_OBJ_NAMES += console_admin.o
COMMON_OBJ_NAMES += jwk.o
COMMON_OBJ_NAMES += jwt.o
COMMON_OBJ_NAMES += idtoken.o
COMMON_OBJ_NAMES += store_oidc.o
COMMON_OBJ_NAMES += oidcreq.o
COMMON_OBJ_NAMES += answer.o
COMMON_OBJ_NAMES += store_jwt.o
COMMON_OBJ_NAMES += client_cache.o
COMMON_OBJ_NAMES += jwt_access.o
COMMON_OBJ	= $(addprefix $(OBJ)/common/,$(COMMON_OBJ_NAMES))
COMMON_OBJ	+= $(OBJ)/gen/schema_embed.o
SCHEMA		= $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql))
LIB		= $(OBJ)/liboauth.a

PROGS		+= authorize
PROGS		+= token
PROGS		+= me
PROGS		+= get_user_info
PROGS		+= revoke
PROGS		+= introspect
PROGS		+= grants
PROGS		+= logout
PROGS		+= admin
PROGS		+= developer
PROGS		+= userinfo
PROGS		+= jwks
PROGS		+= end_session
PROG_BINS	= $(patsubst %,$(OUT)/cgi-bin/%.fcgi,$(PROGS))
CTL		= $(OUT)/tools/oauthctl

UNIT_TESTS	= $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_BINS	= $(patsubst %,$(OBJ)/tests/%,$(UNIT_TESTS))

all: $(PROG_BINS) $(CTL)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(FINAL_CFLAGS) -c -o $@ $<

$(OBJ)/gen/schema_embed.c: $(SCHEMA) tools/embed-schema.sh
	@mkdir -p $(dir $@)
	$(Q)tools/embed-schema.sh $(SCHEMA) > $@

$(OBJ)/gen/schema_embed.o: $(OBJ)/gen/schema_embed.c
	$(Q)$(CC) $(FINAL_CFLAGS) -c -o $@ $<

$(LIB): $(COMMON_OBJ)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(OUT)/cgi-bin/%.fcgi: $(OBJ)/cgi-bin/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS)

$(CTL): $(OBJ)/tools/oauthctl.o $(OBJ)/tools/ctl.o $(OBJ)/tools/ctl_client.o \
    $(OBJ)/tools/ctl_user.o $(OBJ)/tools/ctl_key.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS)

$(OBJ)/tests/%: $(OBJ)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS) -lcmocka

unit: $(UNIT_BINS)
	$(Q)set -e; for t in $(UNIT_BINS); do echo "  UNIT    $$t"; $$t; done

PYTEST		= /usr/bin/python3 -m pytest -q -p no:cacheprovider

# Both entry points first make sure the Debian packages are there, then
# run make again so that pkg-config sees the freshly installed libraries.
deps-run:
	tools/deps.sh run

deps-test:
	tools/deps.sh all

test: deps-test
	$(MAKE) test-all

test-all: all
	$(MAKE) SAN=1 all
	$(MAKE) unit
	$(MAKE) SAN=1 unit
	$(MAKE) fuzz-replay
	$(PYTEST) tests/integration
	OAUTH_BINDIR=san $(PYTEST) tests/integration
	OAUTH_SERVER=apache-fcgid $(PYTEST) tests/integration
	OAUTH_SERVER=apache-cgi $(PYTEST) tests/integration
	OAUTH_SERVER=nginx $(PYTEST) tests/integration
	$(MAKE) bundle
	$(PYTEST) tests/bundle
	$(PYTEST) tests/browser

run: deps-run
	$(MAKE) all
	tools/run.sh

# make install [PREFIX=/usr/local] [DESTDIR=]: programs in LIBEXECDIR/cgi-bin,
# oauthctl in SBINDIR, pages and schema in SHAREDIR, the example configs
# with their install paths filled in (the state directory, port and user
# are left as @VAR@, @PORT@, @USER@, @GROUP@ for the administrator).
install: all
	install -d $(DESTDIR)$(LIBEXECDIR)/cgi-bin $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(SHAREDIR)/schema $(DESTDIR)$(DOCDIR)
	install -m 755 $(PROG_BINS) $(DESTDIR)$(LIBEXECDIR)/cgi-bin/
	install -m 755 $(CTL) $(DESTDIR)$(SBINDIR)/oauthctl
	install -m 644 $(SCHEMA) $(DESTDIR)$(SHAREDIR)/schema/
	cp -R htdocs $(DESTDIR)$(SHAREDIR)/
	chmod -R u+rwX,go+rX $(DESTDIR)$(SHAREDIR)
	for f in apache-example.conf lighttpd-example.conf; do \
	    sed -e 's|@PREFIX@|$(SHAREDIR)|g' -e 's|@BINDIR@|$(LIBEXECDIR)|g' \
	        $$f > $(DESTDIR)$(SHAREDIR)/$$f || exit 1; \
	done
	$(MAKE) --no-print-directory install-nginx
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -rf $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)
	rm -f $(DESTDIR)$(SBINDIR)/oauthctl
	$(MAKE) --no-print-directory uninstall-nginx

# nginx: its example config, the spawn-fcgi script and the systemd units
# beside the other examples; the units in SYSTEMD_UNITDIR when given.
NGINX_FILES	= nginx-example.conf spawn-fcgi-example.sh \
		  systemd/oauth2-fcgi@.socket systemd/oauth2-fcgi@.service
NGINX_SED	= sed -e 's|@PREFIX@|$(SHAREDIR)|g' -e 's|@BINDIR@|$(LIBEXECDIR)|g' \
		      -e 's|@SOCKDIR@|$(SOCKDIR)|g'

install-nginx:
	install -d $(DESTDIR)$(SHAREDIR)/systemd
	for f in $(NGINX_FILES); do \
	    $(NGINX_SED) $$f > $(DESTDIR)$(SHAREDIR)/$$f || exit 1; \
	done
	chmod 755 $(DESTDIR)$(SHAREDIR)/spawn-fcgi-example.sh
	if [ -n "$(SYSTEMD_UNITDIR)" ]; then \
	    install -d $(DESTDIR)$(SYSTEMD_UNITDIR) && \
	    install -m 644 $(DESTDIR)$(SHAREDIR)/systemd/oauth2-fcgi@.socket \
	        $(DESTDIR)$(SHAREDIR)/systemd/oauth2-fcgi@.service \
	        $(DESTDIR)$(SYSTEMD_UNITDIR)/; \
	fi

uninstall-nginx:
	if [ -n "$(SYSTEMD_UNITDIR)" ]; then \
	    rm -f $(DESTDIR)$(SYSTEMD_UNITDIR)/oauth2-fcgi@.socket \
	        $(DESTDIR)$(SYSTEMD_UNITDIR)/oauth2-fcgi@.service; \
	fi

# make bundle: the upload bundle for shared hosting without a shell
# (tools/bundle.sh): the programs with their shared libraries beside them,
# templates, static files, .htaccess and a config to fill in.
BUNDLE		= dist/oauth2-fcgi-bundle-$(VERSION).tar.gz

bundle: all
	$(Q)tools/bundle.sh $(BUNDLE) $(PROG_BINS)

# make dist: the release tarball of the committed tree.
dist:
	@mkdir -p dist
	git archive --format=tar.gz --prefix=oauth2-fcgi-$(VERSION)/ \
	    -o dist/oauth2-fcgi-$(VERSION).tar.gz HEAD
	@echo dist/oauth2-fcgi-$(VERSION).tar.gz

clean:
	rm -rf build san dist cgi-bin/*.fcgi tools/oauthctl

.PHONY: all unit test test-all run clean deps-run deps-test \
	install uninstall dist bundle install-nginx uninstall-nginx
.SECONDARY:

-include $(shell find build -name '*.d' 2>/dev/null)

# Fuzzing (tests/fuzz) and benchmarks (bench/) keep their rules beside them.
-include tests/fuzz/fuzz.mk
-include bench/bench.mk
