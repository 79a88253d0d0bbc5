/* consent.js: the "select all" checkbox of the consent page (the page works without it). */
(function () {
	'use strict';
	var all = document.getElementById('select-all');
	var row = document.getElementById('select-all-row');
	var boxes = document.querySelectorAll('input[name="grant_scope"]');
	var i;

	if (!all || boxes.length === 0)
		return;

	function sync() {
		var n = 0, j;
		for (j = 0; j < boxes.length; j++)
			if (boxes[j].checked)
				n++;
		all.checked = n === boxes.length;
		all.indeterminate = n > 0 && n < boxes.length;
	}

	all.addEventListener('change', function () {
		var j;
		for (j = 0; j < boxes.length; j++)
			boxes[j].checked = all.checked;
		all.indeterminate = false;
	});
	for (i = 0; i < boxes.length; i++)
		boxes[i].addEventListener('change', sync);
	sync();
	if (row)
		row.hidden = false;
}());
