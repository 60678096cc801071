#include "core/audit_hash.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

const char audit_genesis_hash[AUDIT_HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void hex(const unsigned char *md, unsigned n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

static void put_str(EVP_MD_CTX *ctx, const char *s)
{
	char len[32];
	if (!s) {
		EVP_DigestUpdate(ctx, "-;", 2);
		return;
	}
	size_t n = strlen(s);
	int k = snprintf(len, sizeof(len), "%zu:", n);
	EVP_DigestUpdate(ctx, len, (size_t)k);
	EVP_DigestUpdate(ctx, s, n);
	EVP_DigestUpdate(ctx, ";", 1);
}

static void put_int(EVP_MD_CTX *ctx, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	put_str(ctx, buf);
}

duban_result audit_hash(const char *prev_hash, const struct audit_record *r,
			char out[AUDIT_HASH_HEX])
{
	duban_result result = DUBAN_E_INTERNAL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sm3(), NULL) != 1)
		goto out;
	put_str(ctx, prev_hash);
	put_int(ctx, r->id);
	put_int(ctx, r->at);
	put_int(ctx, r->actor_id);
	put_str(ctx, r->actor);
	put_str(ctx, r->client_addr);
	put_str(ctx, r->entity);
	put_int(ctx, r->entity_id);
	put_int(ctx, r->unit_id);
	put_str(ctx, r->action);
	put_str(ctx, r->before_json);
	put_str(ctx, r->after_json);
	if (EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != 32)
		goto out;
	hex(md, n, out);
	result = DUBAN_OK;
out:
	EVP_MD_CTX_free(ctx);
	return result;
}

void sha256_hex(const void *data, size_t len, char out[AUDIT_HASH_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	hex(md, n, out);
}
