/* html.c: escapers, one per output context */
#include "html.h"

void
html_escape(struct strbuf *b, struct str s)
{
	size_t		i, start = 0;
	const char	*rep;

	for (i = 0; i < s.n; i++) {
		switch (s.p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		strbuf_append(b, s.p + start, i - start);
		strbuf_puts(b, rep);
		start = i + 1;
	}
	strbuf_append(b, s.p + start, s.n - start);
}
