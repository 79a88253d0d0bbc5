/* html.h: escapers, one per output context */
#ifndef HTML_H
#define HTML_H

#include "str.h"

/*
 * Append s escaped for HTML text and quoted attribute values:
 * & < > " ' become character references.
 */
void	html_escape(struct strbuf *, struct str s);

#endif
