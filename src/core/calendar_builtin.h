/*
 * calendar_builtin.h - the schedules shipped in data/calendar/.
 */
#ifndef DUBAN_CORE_CALENDAR_BUILTIN_H
#define DUBAN_CORE_CALENDAR_BUILTIN_H

#include "base/result.h"
#include "core/calendar.h"

/**
 * Loads every year shipped in data/calendar/ (compiled into the binary)
 * into cal, replacing those years if cal had them.  All or nothing: on error
 * cal is unchanged and err names the file, e.g.
 * "data/calendar/2026.txt: line 9: bad date '2026-02-30'".
 */
duban_result calendar_load_builtin(struct calendar *cal,
				   struct duban_error *err);

#endif
