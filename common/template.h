/* template.h: HTML templates with escaping by default */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include "str.h"

/*
 * Syntax: {{name}} inserts the value HTML-escaped (there is no raw form);
 * {{#list}}…{{/list}} repeats for each item; {{?name}}…{{/name}} keeps the
 * body if name is non-empty, {{^name}}…{{/name}} if it is empty.
 */

struct tvar;

/* A scope of variables; lookups fall back to the parent. Arena-owned. */
struct tvars {
	struct arena	*a;
	struct tvars	*parent;
	struct tvar	*head;
};

/* A new scope (parent may be NULL). */
struct tvars	*tvars_new(struct arena *, struct tvars *parent);

/* Set name to value (copied); the last set wins. */
void		 tvars_set(struct tvars *, const char *name, struct str value);
void		 tvars_setc(struct tvars *, const char *name, const char *value);

/* Append an item to the list name and return its scope to fill. */
struct tvars	*tvars_add_item(struct tvars *, const char *list);

/*
 * Render the template text t with v into out. Returns 0, or -1 on a
 * malformed template (unclosed tag or section, nesting over 8).
 */
int		 template_render(struct strbuf *out, struct str t,
		    const struct tvars *v);

/*
 * Load <dir>/<lang>/<name>.html once and keep it for the process.
 * Returns 0 and sets *t, or -1 if the file cannot be read.
 */
int		 template_load(const char *dir, const char *lang,
		    const char *name, struct str *t);

#endif
