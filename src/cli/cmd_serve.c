#include <stdio.h>

#include "app/taskset.h"
#include "app/workcal.h"
#include "base/log.h"
#include "cli/cli.h"
#include "core/password.h"
#include "http/http.h"
#include "store/store.h"

int cmd_serve(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	int level = log_level_parse(o->str[OPT_LOG_LEVEL]);
	struct server_config cfg = {
		.listen = o->str[OPT_LISTEN],
		.threads = (int)o->num[OPT_THREADS],
		.max_body = (size_t)o->num[OPT_MAX_BODY],
		.max_upload = (size_t)o->num[OPT_MAX_ATTACHMENT],
		.data_dir = o->str[OPT_DATA_DIR],
		.session_idle = (int)o->num[OPT_SESSION_IDLE],
		.access_log = o->num[OPT_ACCESS_LOG] != 0,
		.public_rate = (int)o->num[OPT_PUBLIC_RATE],
	};
	duban_result result;
	if (level < 0) {
		duban_fail(&err, DUBAN_E_INVALID, "log-level",
			   "log-level must be error, warn, info or debug");
		return cli_fail(&err);
	}
	log_current_level = (enum log_level)level;
	if ((result = cli_open_store(o, &s, &err)))
		return cli_fail(&err);
	/* eight sets: a few campaigns, each on a day or two */
	taskset_cache_start(8, (size_t)o->num[OPT_TASK_CACHE]);
	if ((result = workcal_load(s, &err)) == DUBAN_OK)
		result = server_run(s, &cfg, &err);
	taskset_cache_stop();
	workcal_release();
	store_free(s);
	return result ? cli_fail(&err) : 0;
}
