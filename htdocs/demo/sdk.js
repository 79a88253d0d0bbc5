/* sdk.js: the demo's JS SDK page, written against QQ's QC.Login and QC.api only. */
(function () {
	'use strict';
	function $(id) {
		return document.getElementById(id);
	}

	QC.Login({ btnId: 'qqLoginBtn', size: 'A_XL' }, function (reqData) {
		QC.Login.getMe(function (openId) {
			$('sdk-openid').textContent = openId;
		});
		$('sdk-nickname').textContent = reqData.nickname;
		$('sdk-gender').textContent = reqData.gender;
		if (reqData.figureurl_qq_2)
			$('sdk-avatar').src = reqData.figureurl_qq_2;
		$('sdk-profile').hidden = false;
	}, function () {
		$('sdk-profile').hidden = true;
	});
}());
