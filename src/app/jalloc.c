#include "app/jalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define JALLOC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JALLOC_ASAN 1
#endif
#endif
#ifdef JALLOC_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define BLOCK (64 * 1024)      /* an arena grows by blocks of this */
#define LARGEST (BLOCK / 8)    /* larger allocations go to the heap */
#define ARENA_MAX (8u << 20)   /* so does everything past this much */
#define HDR 16                 /* the header before every allocation */

struct block {
	struct block *next;
	size_t used;
	_Alignas(16) unsigned char data[BLOCK];
};

static _Thread_local struct {
	struct block *head;
	size_t total;
	bool on;
} arena;

static bool installed;

/* header: the size, then 1 for the arena or 0 for the heap */
static void *mark(unsigned char *p, size_t n, unsigned char from)
{
	memcpy(p, &n, sizeof(n));
	p[sizeof(n)] = from;
	return p + HDR;
}

static void *json_alloc(size_t n)
{
	size_t need = (n + HDR + 15) & ~(size_t)15;
	if (arena.on && n <= LARGEST && arena.total < ARENA_MAX) {
		struct block *b = arena.head;
		if (!b || BLOCK - b->used < need) {
			b = malloc(sizeof(*b));
			if (b) {
				b->next = arena.head;
				b->used = 0;
				POISON(b->data, BLOCK);
				arena.head = b;
				arena.total += BLOCK;
			}
		}
		if (b) {
			unsigned char *p = b->data + b->used;
			b->used += need;
			UNPOISON(p, HDR + n);
			return mark(p, n, 1);
		}
	}
	unsigned char *p = malloc(HDR + n);
	return p ? mark(p, n, 0) : NULL;
}

static void json_free(void *ptr)
{
	if (!ptr)
		return;
	unsigned char *p = (unsigned char *)ptr - HDR;
	size_t n;
	memcpy(&n, p, sizeof(n));
	if (p[sizeof(n)] == 0)
		free(p);
	else
		POISON(ptr, n); /* goes with the arena */
}

void jalloc_install(void)
{
	json_set_alloc_funcs(json_alloc, json_free);
	installed = true;
}

void jalloc_begin(void)
{
	arena.on = installed;
}

void jalloc_end(void)
{
	struct block *b = arena.head;
	while (b) {
		struct block *next = b->next;
		UNPOISON(b->data, BLOCK);
		free(b);
		b = next;
	}
	arena.head = NULL;
	arena.total = 0;
	arena.on = false;
}

char *json_text(const json_t *v, size_t flags)
{
	char *s = json_dumps(v, flags);
	if (!s || !installed)
		return s; /* jansson's own malloc: free() it */
	char *copy = xstrdup(s);
	json_free(s);
	return copy;
}
