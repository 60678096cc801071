/*
 * audit_hash.h - the hash chain of the audit trail.
 *
 * Each record's hash is SM3 over the previous record's hash and the
 * record's own fields, serialised canonically (each field length-prefixed,
 * so no choice of content can make two records serialise alike).  The first
 * record chains from 64 zeros.
 */
#ifndef DUBAN_CORE_AUDIT_HASH_H
#define DUBAN_CORE_AUDIT_HASH_H

#include <stdint.h>

#include "base/result.h"

#define AUDIT_HASH_HEX 65 /* 64 hex digits and a NUL */

extern const char audit_genesis_hash[AUDIT_HASH_HEX];

/** The content of one audit record; NULL strings hash as absent. */
struct audit_record {
	int64_t id;
	int64_t at;
	int64_t actor_id; /* 0 for the system */
	const char *actor;
	const char *client_addr;
	const char *entity;
	int64_t entity_id;
	int64_t unit_id; /* 0 for none */
	const char *action;
	const char *before_json;
	const char *after_json;
};

/** Computes the record's chained SM3 hash as lower-case hex. */
duban_result audit_hash(const char *prev_hash, const struct audit_record *r,
			char out[AUDIT_HASH_HEX]);

/** SHA-256 of data as lower-case hex (tokens are stored this way). */
void sha256_hex(const void *data, size_t len, char out[AUDIT_HASH_HEX]);

#endif
