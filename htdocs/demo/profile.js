/* profile.js: the demo profile page, fetching the user's profile by JSONP as QQ's JS SDK does. */
(function () {
	'use strict';
	var root = document.getElementById('profile');
	var token, clientId;

	if (!root)
		return;
	token = root.getAttribute('data-access-token') || '';
	clientId = root.getAttribute('data-client-id') || '';

	function $(id) {
		return document.getElementById(id);
	}

	function showError(text) {
		var e = $('error');
		e.textContent = text;
		e.hidden = false;
		$('nickname').textContent = '';
	}

	function query(params) {
		var k, out = [];
		for (k in params)
			if (Object.prototype.hasOwnProperty.call(params, k))
				out.push(encodeURIComponent(k) + '=' +
				    encodeURIComponent(params[k]));
		return out.join('&');
	}

	function jsonp(path, params) {
		var s = document.createElement('script');
		s.src = path + '?' + query(params);
		s.onerror = function () {
			showError('request failed: ' + path);
		};
		document.head.appendChild(s);
	}

	function describe(obj, code) {
		var msg = obj.error_description || obj.msg || '';
		return 'error ' + code + (msg ? ': ' + msg : '');
	}

	window.demoMe = function (obj) {
		if (!obj || obj.error || !obj.openid) {
			showError(obj ? describe(obj, obj.error || 'no openid') : 'bad response');
			return;
		}
		$('openid').textContent = obj.openid;
		jsonp('/user/get_user_info', {
			access_token: token,
			oauth_consumer_key: clientId,
			openid: obj.openid,
			callback: 'demoInfo'
		});
	};

	window.demoInfo = function (info) {
		var img;

		if (!info || Number(info.ret) !== 0) {
			showError(info ? describe(info, info.ret) : 'bad response');
			return;
		}
		$('nickname').textContent = info.nickname;
		img = $('avatar');
		if (info.figureurl_qq_2) {
			img.src = info.figureurl_qq_2;
			img.hidden = false;
		}
	};

	jsonp('/oauth2.0/me', {access_token: token, callback: 'demoMe'});
}());
