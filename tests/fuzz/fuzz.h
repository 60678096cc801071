/*
 * fuzz.h - what the fuzz harnesses share (tests/fuzz/README.md).
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput(): libFuzzer calls
 * it in `make fuzz`, replay.c calls it on the committed corpus in `make
 * test`.  A broken invariant aborts, so both report it the same way.
 */
#ifndef DUBAN_TESTS_FUZZ_H
#define DUBAN_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/result.h"
#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Unlike assert(), never compiled out. */
#define FUZZ_ASSERT(cond)                                                    \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",     \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

/*
 * An error must be presentable: the HTTP layer puts its code, field and
 * message into a JSON object, which holds only valid UTF-8.
 */
static inline void fuzz_check_error(duban_result result,
				    const struct duban_error *err)
{
	if (result == DUBAN_OK)
		return;
	FUZZ_ASSERT(err->result == result);
	FUZZ_ASSERT(utf8_valid(err->message, strlen(err->message)));
	FUZZ_ASSERT(utf8_valid(err->field, strlen(err->field)));
	FUZZ_ASSERT(err->code[0] != '\0');
}

#endif
