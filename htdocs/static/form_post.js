/* form_post.js: send the authorization response at once (response_mode=form_post); without script the button does. */
(function () {
	'use strict';
	var f = document.getElementById('form-post');

	if (f)
		f.submit();
}());
