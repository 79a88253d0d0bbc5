/*
 * qc_jssdk.js: QQ Connect's JavaScript SDK API (QC.Login, QC.api) on
 * oauth2-fcgi. Plain JavaScript, no build step, no third-party code.
 *
 * <script src="https://auth.example/qc_jssdk.js" data-appid="APPID"
 *     data-redirecturi="https://site.example/qc_callback.html"></script>
 *
 * Under it: the authorization code with PKCE (S256) for a public client,
 * run in a popup. The page at data-redirecturi (which loads this script
 * too) checks state and hands the code to its opener by postMessage to
 * its own, exact origin, then closes. The opener redeems the code by
 * CORS; the token lives in sessionStorage and travels only in an
 * Authorization header, never in a URL or a cookie.
 */
(function (w, d) {
	'use strict';
	if (w.QC && w.QC.oauth2fcgi)
		return;

	var tag = d.currentScript || (function () {
		var s = d.getElementsByTagName('script');
		return s[s.length - 1];
	}());
	var SERVER = new URL(tag.src, location.href).origin;
	var APPID = tag.getAttribute('data-appid') || '';
	var REDIRECT = tag.getAttribute('data-redirecturi') || '';
	var PENDING = 'qc_pending', TOKEN = 'qc_token';
	var SIZES = {	/* QQ's size option: artwork, width, height */
		A_XL: ['a', 230, 48], A_L: ['a', 170, 32], A_M: ['a', 120, 24],
		A_S: ['a', 105, 16], B_M: ['b', 89, 24], B_S: ['b', 63, 24],
		C_S: ['c', 16, 16]
	};
	var TEXT = {
		'zh-CN': { login: '登录', out: '退出' },
		en: { login: 'Log in', out: 'Sign out' }
	};
	var logins = [], pending = null, popup = null, callbackPage = false;

	function store(k, v) {
		try {
			if (v === undefined)
				w.sessionStorage.removeItem(k);
			else
				w.sessionStorage.setItem(k, JSON.stringify(v));
		} catch (e) { /* storage off: the login lasts as long as the page */ }
	}

	function load(k) {
		try {
			return JSON.parse(w.sessionStorage.getItem(k) || 'null');
		} catch (e) {
			return null;
		}
	}

	function b64url(bytes) {
		var s = '', i;
		for (i = 0; i < bytes.length; i++)
			s += String.fromCharCode(bytes[i]);
		return btoa(s).replace(/\+/g, '-').replace(/\//g, '_')
		    .replace(/=+$/, '');
	}

	function random() {
		var a = new Uint8Array(32);
		w.crypto.getRandomValues(a);
		return b64url(a);
	}

	function query(o) {
		var k, q = new URLSearchParams();
		for (k in o)
			if (Object.prototype.hasOwnProperty.call(o, k) &&
			    o[k] !== undefined && o[k] !== null)
				q.append(k, String(o[k]));
		return q;
	}

	function later(f) {
		w.setTimeout(f, 0);
	}

	/* The live token of this page and app, or null. */
	function token(appid) {
		var t = load(TOKEN);
		if (!t || !t.access_token || !t.openid ||
		    (appid && t.appid !== appid) || t.expires_at <= Date.now())
			return null;
		return t;
	}

	function lang(o) {
		var l = (o && o.lang) || tag.getAttribute('data-lang') ||
		    (navigator.language || 'zh-CN');
		return /^zh/i.test(l) ? 'zh-CN' : 'en';
	}

	/* Our endpoints, by CORS, never with a cookie or a referrer. */
	function call(path, opts) {
		opts.credentials = 'omit';
		opts.cache = 'no-store';
		opts.referrerPolicy = 'no-referrer';
		return w.fetch(SERVER + path, opts).then(function (r) {
			return r.json();
		});
	}

	function bearer(t) {
		return { Authorization: 'Bearer ' + t.access_token };
	}

	/* QC.api's answer: success, error, complete callbacks, chainable. */
	function Request() {
		this.cbs = { success: [], error: [], complete: [] };
		this.done = null;
	}
	Request.prototype.on = function (kind, f) {
		var self = this;
		if (typeof f === 'function') {
			if (self.done && (kind === 'complete' || kind === self.done.kind))
				later(function () { f(self.done.resp); });
			else
				self.cbs[kind].push(f);
		}
		return self;
	};
	Request.prototype.success = function (f) { return this.on('success', f); };
	Request.prototype.error = function (f) { return this.on('error', f); };
	Request.prototype.complete = function (f) { return this.on('complete', f); };
	Request.prototype.finish = function (ok, status, data) {
		var resp = {
			status: status, fmt: 'json', data: data,
			code: data && data.ret !== undefined ? data.ret : -1,
			stringifyData: function () { return JSON.stringify(data); }
		}, kind = ok ? 'success' : 'error', self = this, fs;
		self.done = { kind: kind, resp: resp };
		fs = self.cbs[kind].concat(self.cbs.complete);
		later(function () {
			var i;
			for (i = 0; i < fs.length; i++)
				fs[i](resp);
		});
	};

	function api(name, params) {
		var r = new Request(), t = token(APPID), p = {}, k;
		if (name !== 'get_user_info') {
			r.finish(false, 200, { ret: 100031, msg: 'no such API: ' + name });
			return r;
		}
		if (!t) {
			r.finish(false, 200, { ret: 100007, msg: 'not logged in' });
			return r;
		}
		for (k in params || {})
			if (k !== 'access_token')
				p[k] = params[k];
		p.oauth_consumer_key = t.appid;
		p.openid = t.openid;
		call('/user/get_user_info?' + query(p), { headers: bearer(t) })
		    .then(function (j) {
			r.finish(j && j.ret === 0, 200, j);
		}, function () {
			r.finish(false, 0, { ret: -1, msg: 'request failed' });
		});
		return r;
	}

	/* Build elements without markup: nothing from the network is HTML. */
	function el(name, attrs, text) {
		var e = d.createElement(name), k;
		for (k in attrs || {})
			e.setAttribute(k, attrs[k]);
		if (text)
			e.textContent = text;
		return e;
	}

	function button(inst) {
		var o = inst.opts, s = SIZES[o.size] || SIZES.B_S, l = lang(o);
		var a = el('a', { href: '#', role: 'button', 'class': 'qc_login_btn',
		    title: TEXT[l].login });
		a.appendChild(el('img', {
			src: SERVER + '/static/qc_btn_' + s[0] +
			    (s[0] === 'c' ? '' : '_' + l) + '.svg',
			width: s[1], height: s[2], alt: TEXT[l].login
		}));
		a.addEventListener('click', function (ev) {
			ev.preventDefault();
			showPopup({ appId: o.appId, redirectURI: o.redirectURI,
			    scope: o.scope });
		});
		return a;
	}

	function userView(inst, info) {
		var l = lang(inst.opts), box = el('span', { 'class': 'qc_user' });
		var out = el('a', { href: '#', 'class': 'qc_signout' }, TEXT[l].out);
		box.appendChild(el('img', { src: info.figureurl_qq_1 ||
		    info.figureurl_1 || '', width: 24, height: 24, alt: '',
		    'class': 'qc_avatar' }));
		box.appendChild(el('span', { 'class': 'qc_nickname' },
		    info.nickname || ''));
		box.appendChild(d.createTextNode(' '));
		out.addEventListener('click', function (ev) {
			ev.preventDefault();
			signOut();
		});
		box.appendChild(out);
		return box;
	}

	function render(inst) {
		var node = d.getElementById(inst.opts.btnId);
		if (!node) {
			if (d.readyState === 'loading')
				d.addEventListener('DOMContentLoaded', function () {
					if (d.getElementById(inst.opts.btnId))
						render(inst);
				});
			return;
		}
		if (!token(APPID)) {
			node.replaceChildren(button(inst));
			return;
		}
		api('get_user_info').success(function (s) {
			node.replaceChildren(userView(inst, s.data));
			if (typeof inst.onLogin === 'function')
				inst.onLogin(s.data, inst.opts);
		}).error(function (f) {
			/* A dead token (revoked, expired) ends the login here. */
			if (f.status && f.code !== 0)
				store(TOKEN);
			node.replaceChildren(button(inst));
		});
	}

	function Login(opts, onLogin, onLogout) {
		var inst = { opts: opts || {}, onLogin: onLogin, onLogout: onLogout };
		if (callbackPage)
			return;
		logins.push(inst);
		render(inst);
	}

	function sha256(s) {
		return w.crypto.subtle.digest('SHA-256', new TextEncoder().encode(s))
		    .then(function (h) { return b64url(new Uint8Array(h)); });
	}

	function showPopup(o) {
		var p, win;
		o = o || {};
		p = {
			state: random(), verifier: random(),
			appid: o.appId || APPID,
			ruri: new URL(o.redirectURI || REDIRECT, location.href).href,
			scope: o.scope && o.scope !== 'all' ? o.scope : undefined
		};
		/* Saved before the popup opens: it starts with a copy. */
		store(PENDING, p);
		win = w.open('about:blank', 'qc_login_' + p.state.slice(0, 8),
		    'width=560,height=640,menubar=no,toolbar=no,location=yes');
		if (!win)
			return false;
		pending = p;
		popup = win;
		sha256(p.verifier).then(function (ch) {
			var q = {
				response_type: 'code', client_id: p.appid,
				redirect_uri: p.ruri, state: p.state,
				code_challenge: ch, code_challenge_method: 'S256',
				scope: p.scope
			};
			win.location.href = SERVER + '/oauth2.0/authorize?' + query(q);
		});
		return true;
	}

	function loggedIn() {
		var i;
		for (i = 0; i < logins.length; i++)
			render(logins[i]);
	}

	/* The opener: a code from our own popup, for the pending state only. */
	function onMessage(ev) {
		var m = ev.data, p = pending, got, t;
		if (ev.origin !== location.origin || !p || ev.source !== popup ||
		    !m || m.qc_login !== 1 || m.state !== p.state)
			return;
		pending = popup = null;
		store(PENDING);
		if (m.access_token)	/* implicit: see callback() */
			got = Promise.resolve(m);
		else if (m.code)
			got = call('/oauth2.0/token', { method: 'POST', body: query({
				grant_type: 'authorization_code', code: m.code,
				redirect_uri: p.ruri, client_id: p.appid,
				code_verifier: p.verifier
			}) });
		else
			return;
		got.then(function (j) {
			if (!j || !j.access_token)
				throw new Error('no token');
			t = { appid: p.appid, access_token: j.access_token,
			    expires_at: Date.now() + 1000 * (+j.expires_in || 3600) };
			return call('/oauth2.0/me?' + query({ fmt: 'json',
			    client_id: p.appid }), { headers: bearer(t) });
		}).then(function (j) {
			if (!j || !j.openid || j.client_id !== p.appid)
				throw new Error('no openid of this app');
			t.openid = j.openid;
			store(TOKEN, t);
			loggedIn();
		}).catch(function () { /* the button stays */ });
	}

	/* The redirect page in the popup: check state, hand over, close. */
	function callback() {
		var q = new URLSearchParams(location.search), p = load(PENDING);
		var h = new URLSearchParams(location.hash.slice(1)), iss, msg;
		if (h.get('state'))
			q = h;
		iss = q.get('iss');
		if (!w.opener || !q.get('state') ||
		    !(q.get('code') || q.get('error') || q.get('access_token')))
			return false;
		callbackPage = true;
		store(PENDING);
		if (!p || q.get('state') !== p.state ||
		    (iss && new URL(iss, location.href).origin !== SERVER)) {
			d.documentElement.setAttribute('data-qc-callback', 'refused');
			return true;
		}
		/*
		 * RFC 9700 §2.1.2 discourages the implicit grant: it is asked
		 * for only when the server refused the code flow to this
		 * client, registered for implicit alone, and the token comes
		 * back in the fragment, which no server sees.
		 */
		if (q.get('error') === 'unauthorized_client' && !p.implicit) {
			p.implicit = 1;
			store(PENDING, p);
			location.replace(SERVER + '/oauth2.0/authorize?' + query({
				response_type: 'token', client_id: p.appid,
				redirect_uri: p.ruri, state: p.state, scope: p.scope
			}));
			return true;
		}
		msg = { qc_login: 1, state: p.state, code: q.get('code') || '',
		    access_token: p.implicit && q.get('access_token') || '',
		    expires_in: q.get('expires_in') || '',
		    error: q.get('error') || '' };
		w.history.replaceState(null, '', location.pathname);	/* and hash */
		/* Only an opener of exactly this origin gets it. */
		w.opener.postMessage(msg, location.origin);
		d.documentElement.setAttribute('data-qc-callback', 'sent');
		w.close();
		return true;
	}

	function signOut() {
		var t = load(TOKEN), i, inst;
		store(TOKEN);
		if (t && t.access_token)
			call('/oauth2.0/revoke', { method: 'POST', body: query({
				token: t.access_token, client_id: t.appid
			}) }).catch(function () {});
		for (i = 0; i < logins.length; i++) {
			inst = logins[i];
			render(inst);
			if (typeof inst.onLogout === 'function')
				inst.onLogout(inst.opts);
		}
	}

	Login.showPopup = showPopup;
	Login.check = function () { return token(APPID) !== null; };
	Login.getMe = function (f) {
		var t = token(APPID);
		if (t && typeof f === 'function')
			f(t.openid, t.access_token);
	};
	Login.signOut = signOut;

	w.QC = {
		oauth2fcgi: 1,
		Login: Login,
		api: api,
		String: {
			format: function (tpl, o) {
				return String(tpl).replace(/\{(\w+)\}/g, function (m, k) {
					return o && o[k] !== undefined ? o[k] : m;
				});
			},
			escHTML: function (s) {
				return String(s).replace(/[&<>"']/g, function (c) {
					return '&#' + c.charCodeAt(0) + ';';
				});
			}
		}
	};
	w.addEventListener('message', onMessage);
	if (!callback() && tag.getAttribute('data-btnid'))
		Login({ btnId: tag.getAttribute('data-btnid'),
		    size: tag.getAttribute('data-size') || undefined });
}(window, document));
