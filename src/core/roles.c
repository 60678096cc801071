#include "core/roles.h"

#include <string.h>

static const char *const names[ROLE_COUNT] = {
	"sysadmin", "secadmin", "auditor", "office",
	"leader",   "liaison",  "inspector",
};

uint32_t role_parse(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(names[i], name) == 0)
			return 1u << i;
	return 0;
}

const char *role_name(int i)
{
	return i >= 0 && i < ROLE_COUNT ? names[i] : NULL;
}

bool scope_path_contains(const char *scope_path, const char *unit_path)
{
	size_t n = strlen(scope_path);
	/* paths end in '/', so "/1/4/" never matches "/1/45/" */
	return n > 0 && scope_path[n - 1] == '/' &&
	       strncmp(scope_path, unit_path, n) == 0;
}
