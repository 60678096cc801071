#include "http/ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SLOTS 4096

struct slot {
	char addr[64];
	time_t window;
	int count;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

bool ratelimit_allow(const char *addr, int per_minute, int *retry_after)
{
	uint32_t h = 2166136261u;
	time_t now = time(NULL), window = now / 60;
	bool ok;
	for (const char *p = addr; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	pthread_mutex_lock(&lock);
	struct slot *s = &slots[h % SLOTS];
	if (strcmp(s->addr, addr) != 0 || s->window != window) {
		snprintf(s->addr, sizeof(s->addr), "%s", addr);
		s->window = window;
		s->count = 0;
	}
	ok = s->count < per_minute;
	if (ok)
		s->count++;
	pthread_mutex_unlock(&lock);
	if (!ok && retry_after)
		*retry_after = (int)(60 - now % 60);
	return ok;
}
